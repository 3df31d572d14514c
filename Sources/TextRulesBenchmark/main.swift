// Texts per second of TextRules on a corpus: X's weighted length alone, all seven networks'
// checks together and each network's check on its own; and each text's X weighted length, for
// comparison with the twitter-text reference (benchmarks/twitter_text_reference.py).
//   usage: TextRulesBenchmark CORPUS.jsonl X-LENGTHS-OUT [passes, default 10]
// The corpus has one JSON object a line, {"text": "..."}; benchmarks/text-rules.sh makes it.
import Foundation
import TextRules

struct CorpusLine: Decodable {
    var text: String
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
}

func readCorpus(at path: String) throws -> [String] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let decoder = JSONDecoder()
    var texts: [String] = []
    for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
        do {
            texts.append(try decoder.decode(CorpusLine.self, from: Data(line)).text)
        } catch {
            throw BenchmarkFailure(description: "\(path):\(number + 1): not a {\"text\": …} line: \(error)")
        }
    }
    guard !texts.isEmpty else { throw BenchmarkFailure(description: "\(path) holds no texts") }
    return texts
}

/// The median over `passes` timed passes (after one untimed warm-up) of texts handled per second.
/// `count` returns a number derived from its result so the optimiser cannot drop the work.
func textsPerSecond(_ texts: [String], passes: Int, _ count: (String) -> Int) -> (rate: Double, checksum: Int) {
    let clock = ContinuousClock()
    var checksum = 0
    for text in texts { checksum &+= count(text) }
    var seconds: [Double] = []
    for _ in 0..<passes {
        let start = clock.now
        for text in texts { checksum &+= count(text) }
        let elapsed = start.duration(to: clock.now).components
        seconds.append(Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)
    }
    seconds.sort()
    let median = passes % 2 == 1 ? seconds[passes / 2] : (seconds[passes / 2 - 1] + seconds[passes / 2]) / 2
    return (Double(texts.count) / median, checksum)
}

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4, let passes = Int(arguments.count == 4 ? arguments[3] : "10"),
    (1...1_000).contains(passes)
else {
    FileHandle.standardError.write(Data("usage: TextRulesBenchmark CORPUS.jsonl X-LENGTHS-OUT [passes 1…1000]\n".utf8))
    exit(2)
}
do {
    let texts = try readCorpus(at: arguments[1])
    let x = XTextRules()
    let catalog = TextRulesCatalog.standard
    let networks = Network.allCases

    let xLengths = texts.map { x.parse($0).weightedLength }
    try Data(xLengths.map { "\($0)\n" }.joined().utf8).write(to: URL(fileURLWithPath: arguments[2]))

    let detail = "median of \(passes) passes over \(texts.count) texts"
    let xRun = textsPerSecond(texts, passes: passes) { x.parse($0).weightedLength }
    print("x", Int(xRun.rate), "texts/s  XTextRules.parse,", detail, "(checksum \(xRun.checksum))")
    let allRun = textsPerSecond(texts, passes: passes) { text in
        catalog.check(text, for: networks).values.reduce(0) { $0 &+ $1.length }
    }
    print(
        "all", Int(allRun.rate), "texts/s  TextRulesCatalog.check for all \(networks.count) networks,", detail,
        "(checksum \(allRun.checksum))")
    for network in networks {
        let rules = catalog.rules(for: network)
        let run = textsPerSecond(texts, passes: passes) { rules.check($0).length }
        print("network:\(network.rawValue)", Int(run.rate), "texts/s  check,", detail, "(checksum \(run.checksum))")
    }
} catch {
    FileHandle.standardError.write(Data("TextRulesBenchmark: \(error)\n".utf8))
    exit(1)
}
