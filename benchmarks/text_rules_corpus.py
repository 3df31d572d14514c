#!/usr/bin/env python3
"""The corpus of benchmarks/text-rules.sh, and the comparison of X weighted lengths over it.

    text_rules_corpus.py generate [--count 2000] [--seed 8]   > corpus.jsonl
    text_rules_corpus.py edge-cases                            > edge-cases.jsonl
    text_rules_corpus.py compare CORPUS.jsonl OURS.txt REFERENCE.txt [--show 5] [--label ...]

`generate` writes one JSON object a line, {"text": "..."}: posts as people write them, mixing
English, accented Latin, Cyrillic and CJK words, emoji (skin tones, ZWJ sequences, flags,
keycaps), links with and without a protocol, mentions and hashtags, from one line to several
paragraphs. The same count and seed always give the same file.

Emoji are drawn from Emoji 12.0 and earlier: twitter-text-parser 3.0.0 knows emoji sequences
only up to that release, while TextRules takes them from the standard library's current Unicode
data, so a newer sequence (🧑‍💻, ❤️‍🔥) is counted differently on purpose.

`edge-cases` writes the texts, each with a "note", on which TextRules and twitter-text-parser are
known to count differently, and why: newer emoji, and the places where the port follows
twitter-text JS or its own way and TextRules follows twitter-text Java. They are compared, not timed.

`compare` reads two files of one length a line, in corpus order, and prints how many differ and
the first few texts that do; it exits 0 either way.
"""
import argparse
import json
import random
import sys

ENGLISH = (
    "the a and to of in for on with our we you it is new today launch release thanks team "
    "join us at see more read about how why what now live update week product design ship "
    "feedback open source swift server social schedule post queue analytics growth community "
    "event talk slides recording coffee morning friday weekend sale offer limited free trial"
).split()
ACCENTED = "café naïve déjà vu façade Zürich Müller über señor niño São Paulo crème brûlée Ærø Łódź".split()
CYRILLIC = "привет мир новости сегодня спасибо команда".split()
CJK = [
    "今日は", "ありがとうございます", "新しいリリース", "東京", "日本語のテキスト", "カタカナ",
    "你好世界", "我们的产品", "上海", "안녕하세요", "새로운 기능", "서울",
]
EMOJI = [
    "😀", "😂", "🥳", "🚀", "🎉", "🔥", "✨", "🙏", "💡", "📅", "✅", "🤔", "👀", "☕", "🌍",
    "❤️", "☀️", "✔️", "⭐",                    # text-default characters with U+FE0F
    "👍🏽", "👋🏻", "🙌🏿", "💪🏼",                  # skin tones
    "👨‍👩‍👧‍👦", "👩‍💻", "👩‍🚀", "👨🏾‍🍳", "🏳️‍🌈", "🧑‍🤝‍🧑", "👁️‍🗨️", "🏃‍♀️",  # ZWJ sequences
    "🇯🇵", "🇫🇷", "🇺🇸", "🇩🇪", "🇧🇷", "🇺🇦", "🇰🇷",        # flags
    "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🏴󠁧󠁢󠁷󠁬󠁳󠁿",                              # subdivision flags
    "1️⃣", "#️⃣",                                     # keycaps
]
DOMAINS = [
    "example.com", "trestle.dev", "docs.swift.org", "www.example.org", "blog.example.co.uk",
    "news.ycombinator.com", "github.com", "example.io", "shop.example.de", "example.jp",
]
PATHS = ["", "/", "/blog/launch", "/docs/getting-started", "/p/123?ref=social", "/a/b/c.html",
         "/search?q=swift&lang=en", "/watch?v=dQw4w9WgXcQ", "/en-us/pricing#plans", "/~user/notes"]
USERS = ["trestle", "swiftlang", "vapor_codes", "jane_doe", "JohnSmith42", "a", "dev_team_2024", "x"]
TAGS = ["Swift", "ServerSideSwift", "opensource", "launch", "日本語", "café", "100DaysOfCode",
        "SocialMedia", "tech", "Über"]
PUNCTUATION = [".", ",", "!", "?", "…", ":", " -", " —", "!!", "?!"]

# Where the twitter-text implementations themselves disagree, or the Python port's data is older.
# TextRules follows twitter-text Java (conformance/validate.yml, Java's URL pattern and
# TwitterTextParser) and the standard library's emoji data.
EDGE_CASES = [
    ("Working late 🧑‍💻", "Emoji 12.1 ZWJ sequence: the port's emoji list ends at Emoji 12.0 and counts "
     "its parts (2+1+2); twitter-text Java's list has it (2)"),
    ("Feeling it ❤️‍🔥", "Emoji 13.1 ZWJ sequence: newer than twitter-text Java's and the port's lists (5); "
     "TextRules counts any well-formed sequence of current Unicode data as one emoji (2)"),
    ("Deal 🫱🏻‍🫲🏿", "Emoji 14.0 skin-toned handshake: as above, the port counts 2+2+1+2+2"),
    ("© 2025 Trestle", "© without U+FE0F: the port counts it as an emoji (2); twitter-text Java wants "
     "U+FE0F after © ® ™ ♟ and counts Latin-1 © as 1"),
    ("first line\r\nsecond line", "CRLF: the port turns it into LF before counting; twitter-text Java "
     "and JS count both characters"),
    ("docs at sub_domain.example.com", "link without protocol, _ in a subdomain: Java's URL pattern takes "
     "the whole host as the link; JS (and the port) keep only the ASCII domain after the _"),
    ("   ", "blank text: twitter-text Java answers 0 for a text that trims to nothing; JS (and the port) "
     "count the spaces"),
]


def link(rng: random.Random) -> str:
    domain = rng.choice(DOMAINS)
    path = rng.choice(PATHS)
    kind = rng.random()
    if kind < 0.45:
        return f"https://{domain}{path}"
    if kind < 0.55:
        return f"http://{domain}{path}"
    if kind < 0.65:
        return "https://t.co/" + "".join(rng.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(10))
    return f"{domain}{path}"  # without protocol


def token(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        return rng.choice(ENGLISH)
    if kind < 0.52:
        return rng.choice(ACCENTED)
    if kind < 0.55:
        return rng.choice(CYRILLIC)
    if kind < 0.65:
        return rng.choice(CJK)
    if kind < 0.77:
        return rng.choice(EMOJI) * rng.choice((1, 1, 1, 2, 3))
    if kind < 0.85:
        wrap = rng.random()
        url = link(rng)
        if wrap < 0.1:
            return f"({url})"
        if wrap < 0.2:
            return url + rng.choice((".", ",", "!"))
        return url
    if kind < 0.91:
        return "@" + rng.choice(USERS)
    if kind < 0.97:
        return "#" + rng.choice(TAGS)
    return str(rng.randint(0, 2030))


def post(rng: random.Random) -> str:
    size = rng.random()
    if size < 0.35:
        words = rng.randint(1, 6)
    elif size < 0.8:
        words = rng.randint(7, 30)
    else:
        words = rng.randint(31, 90)
    parts = []
    for index in range(words):
        if index:
            gap = rng.random()
            parts.append("\n\n" if gap < 0.03 else "\n" if gap < 0.07 else " ")
        parts.append(token(rng))
        if rng.random() < 0.08:
            parts.append(rng.choice(PUNCTUATION))
    return "".join(parts)


def generate(arguments: argparse.Namespace) -> None:
    rng = random.Random(arguments.seed)
    for _ in range(arguments.count):
        print(json.dumps({"text": post(rng)}, ensure_ascii=False))


def edge_cases(arguments: argparse.Namespace) -> None:
    for text, note in EDGE_CASES:
        print(json.dumps({"text": text, "note": note}, ensure_ascii=False))


def read_lengths(path: str) -> list:
    with open(path, encoding="utf-8") as file:
        return [int(line) for line in file if line.strip()]


def compare(arguments: argparse.Namespace) -> None:
    with open(arguments.corpus, encoding="utf-8") as file:
        lines = [json.loads(line) for line in file if line.strip()]
    texts = [line["text"] for line in lines]
    ours, reference = read_lengths(arguments.ours), read_lengths(arguments.reference)
    if not len(texts) == len(ours) == len(reference):
        sys.exit(f"compare: {len(texts)} texts but {len(ours)} and {len(reference)} lengths")
    differing = [(number, text, a, b) for number, (text, a, b) in enumerate(zip(texts, ours, reference), 1) if a != b]
    print(f"{arguments.label}: {len(texts) - len(differing)} of {len(texts)} identical, {len(differing)} differ")
    for number, text, a, b in differing[: arguments.show]:
        print(f"  text {number}: TextRules {a}, twitter-text-parser {b}: {text!r}")
        if "note" in lines[number - 1]:
            print(f"    {lines[number - 1]['note']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate", help="write the corpus as JSON lines to standard output")
    make.add_argument("--count", type=int, default=2000)
    make.add_argument("--seed", type=int, default=8)
    make.set_defaults(run=generate)
    edge = commands.add_parser("edge-cases", help="write the texts known to be counted differently")
    edge.set_defaults(run=edge_cases)
    check = commands.add_parser("compare", help="compare two files of X weighted lengths over a corpus")
    check.add_argument("corpus")
    check.add_argument("ours")
    check.add_argument("reference")
    check.add_argument("--show", type=int, default=5, help="how many differing texts to print")
    check.add_argument("--label", default="X weighted lengths")
    check.set_defaults(run=compare)
    arguments = parser.parse_args()
    arguments.run(arguments)


if __name__ == "__main__":
    main()
