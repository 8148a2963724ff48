import Foundation
import Testing

@testable import JupyterProtocol

@Suite struct ConnectionInfoTests {
    static let sample = """
        {"shell_port": 53794, "iopub_port": 53795, "stdin_port": 53796, "control_port": 53797,
         "hb_port": 53798, "ip": "127.0.0.1", "key": "a0436f6c-1916-498b", "transport": "tcp",
         "signature_scheme": "hmac-sha256", "kernel_name": "swift-gnpe"}
        """

    @Test func parsesEveryField() throws {
        let info = try ConnectionInfo(json: Data(Self.sample.utf8))
        #expect(info.shellPort == 53794)
        #expect(info.iopubPort == 53795)
        #expect(info.stdinPort == 53796)
        #expect(info.controlPort == 53797)
        #expect(info.heartbeatPort == 53798)
        #expect(info.key == "a0436f6c-1916-498b")
        #expect(info.kernelName == "swift-gnpe")
        #expect(info.endpoint(port: info.shellPort) == "tcp://127.0.0.1:53794")
        #expect(info.signer.isSigning)
    }

    @Test func ipcEndpointsUseThePathPrefix() throws {
        let text = Self.sample.replacingOccurrences(of: #""tcp""#, with: #""ipc""#)
            .replacingOccurrences(of: "127.0.0.1", with: "/tmp/kernel-1")
        let info = try ConnectionInfo(json: Data(text.utf8))
        #expect(info.endpoint(port: 5) == "ipc:///tmp/kernel-1-5")
    }

    @Test func problemsAreNamed() {
        let noKey = Self.sample.replacingOccurrences(of: #""key": "a0436f6c-1916-498b","#, with: "")
        #expect(throws: ConnectionFileError.missingField("key")) { try ConnectionInfo(json: Data(noKey.utf8)) }
        let md5 = Self.sample.replacingOccurrences(of: "hmac-sha256", with: "hmac-md5")
        #expect(throws: ConnectionFileError.unsupportedScheme("hmac-md5")) {
            try ConnectionInfo(json: Data(md5.utf8))
        }
        let text = Self.sample.replacingOccurrences(of: "53794", with: #""x""#)
        #expect(throws: ConnectionFileError.self) { try ConnectionInfo(json: Data(text.utf8)) }
        #expect(throws: ConnectionFileError.unreadable("/nonexistent/c.json")) {
            try ConnectionInfo(contentsOf: "/nonexistent/c.json")
        }
    }
}
