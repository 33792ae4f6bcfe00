import AsyncHTTPClient
import Foundation
import Notify
import NIOSSL
import Testing
import TriplineConfig

/// A CA and a server certificate for 127.0.0.1, made with `openssl` at test time.
struct TestCertificates {
    let directory: String
    var caPath: String { directory + "/ca.pem" }
    var certificatePath: String { directory + "/server.pem" }
    var keyPath: String { directory + "/server.key" }

    static func make() throws -> TestCertificates {
        let directory = temporaryDirectory("tripline-tls")
        let commands = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
             "-days", "2", "-subj", "/CN=Tripline Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2",
             "-extfile", "ext.cnf"],
        ]
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(toFile: directory + "/ext.cnf", atomically: true, encoding: .utf8)
        for arguments in commands {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl"] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
        return TestCertificates(directory: directory)
    }

    func serverContext() throws -> NIOSSLContext {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem)))
        return try NIOSSLContext(configuration: configuration)
    }
}

@Suite("TLS with a private CA")
struct TLSTests {
    @Test("delivered with the CA as CaBundle; refused without it")
    func privateCA() async throws {
        let certificates = try TestCertificates.make()
        defer { try? FileManager.default.removeItem(atPath: certificates.directory) }
        let server = try await TestHTTPServer.start(tls: try certificates.serverContext()) { _, _ in .respond(status: 202) }
        defer { Task { await server.stop() } }
        let client = WebhookNotifier.makeClient()
        var settings = fastSettings(url: "https://127.0.0.1:\(server.port)/hook")
        settings.caBundle = certificates.caPath
        do {
            let trusting = try WebhookNotifier(name: "hook", settings: settings, location: "t:1:1", client: client, environment: testEnvironment, logger: testLogger)
            #expect(await trusting.deliver(sampleDelivery()) == .delivered(status: 202))
            #expect(server.requests.first.map { hasValidSignature($0) } == true)

            settings.caBundle = nil
            let refusing = try WebhookNotifier(name: "hook", settings: settings, location: "t:1:1", client: client, environment: testEnvironment, logger: testLogger)
            let outcome = await refusing.deliver(sampleDelivery())
            guard case .failed(let reason, _) = outcome else {
                Issue.record("a server whose CA is not trusted must be refused")
                return
            }
            #expect(reason.contains("127.0.0.1"))
            #expect(server.requests.count == 1)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
