import Testing
import GNPE

private struct Banner: RichDisplayable {
    var mimeBundle: [String: String] { ["text/html": "<b>hi</b>"] }
}

@Suite struct DisplayTests {
    @Test func richValuesKeepTheirBundleAndGainPlainText() {
        let bundle = GNPE.mimeBundle(of: Banner())
        #expect(bundle["text/html"] == "<b>hi</b>")
        #expect(bundle["text/plain"] != nil)
    }

    @Test func plainValuesShowTheirDescription() {
        #expect(GNPE.mimeBundle(of: 42) == ["text/plain": "42"])
    }
}
