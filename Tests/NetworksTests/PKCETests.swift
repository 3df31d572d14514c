@testable import Networks
import Testing

@Suite struct PKCETests {
    @Test func theChallengeIsRFC7636sOwnExample() {
        // RFC 7636, appendix B.
        #expect(PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test func aGeneratedVerifierIsFortyThreeUnreservedCharactersAndNeverRepeats() {
        let first = PKCE.generate()
        #expect(first.verifier.count == 43)
        #expect(first.verifier.allSatisfy { $0.isLetter || $0.isNumber || "-._~".contains($0) })
        #expect(PKCE.generate() != first)
    }
}
