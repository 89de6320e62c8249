import Foundation

/// A local HTTPS receiver for the webhook tests: Python's `http.server` wrapped in TLS with a throwaway CA and a
/// certificate for `webhooks.test` (a name no DNS knows: the transport must connect to the address the guard
/// checked, while verifying the certificate against the name). Paths choose the behaviour.
final class LoopbackHTTPS {
    let folder: String
    let port: Int
    let caFile: String
    private let process: Process

    static let script = #"""
        import http.server, socketserver, ssl, sys, time, threading
        hits = {}
        lock = threading.Lock()
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True
            def log_message(self, *args): pass
            def reply(self, status, body=b"", headers=()):
                self.send_response(status)
                for name, value in headers: self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def do_GET(self):
                with lock: count = hits.get(self.path[len("/hits"):], 0)
                self.reply(200, str(count).encode())
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with lock: hits[self.path] = hits.get(self.path, 0) + 1
                if self.path == "/ok": self.reply(200, b"thanks")
                elif self.path == "/echo": self.reply(200, (self.headers.get("webhook-signature", "") + "|").encode() + body)
                elif self.path == "/redirect": self.reply(302, b"", [("Location", "/ok")])
                elif self.path == "/gone": self.reply(410, b"unsubscribe")
                elif self.path == "/slow":
                    time.sleep(3)
                    self.reply(200, b"late")
                elif self.path == "/big": self.reply(200, b"x" * (1 << 20))
                else: self.reply(404)
        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            request_queue_size = 256
        server = Server(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    init?() throws {
        guard let python = Tools.find("python3"), let openssl = Tools.find("openssl") else { return nil }
        folder = try Tools.temporaryFolder("essor-https")
        caFile = "\(folder)/ca.pem"
        let steps: [[String]] = [
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "\(folder)/ca.key", "-out", caFile, "-days", "2", "-subj", "/CN=Essor test CA",
            ],
            [
                "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "\(folder)/server.key", "-out", "\(folder)/server.csr", "-subj", "/CN=webhooks.test",
            ],
            [
                "x509", "-req", "-in", "\(folder)/server.csr", "-CA", caFile, "-CAkey", "\(folder)/ca.key",
                "-CAcreateserial", "-out", "\(folder)/server.pem", "-days", "2", "-extfile", "\(folder)/san.cnf",
            ],
        ]
        try "subjectAltName=DNS:webhooks.test\n".write(toFile: "\(folder)/san.cnf", atomically: true, encoding: .utf8)
        for step in steps {
            let result = try Tools.run(openssl, step)
            guard result.status == 0 else { throw SSHDError(message: "openssl \(step[0]): \(result.error)") }
        }
        try LoopbackHTTPS.script.write(toFile: "\(folder)/server.py", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["\(folder)/server.py", "\(folder)/server.pem", "\(folder)/server.key"]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw SSHDError(message: "the test HTTPS server did not start") }
        self.port = port
    }

    /// The server's certificate and key (for a second server with the same name).
    var certificateFile: String { "\(folder)/server.pem" }
    var keyFile: String { "\(folder)/server.key" }

    /// The URL of a path on the server, by name.
    func url(_ path: String) -> String { "https://webhooks.test:\(port)\(path)" }

    func stop() {
        // SIGKILL: the child inherits the test thread's signal mask, where SIGTERM may be blocked.
        kill(process.processIdentifier, SIGKILL)
        Tools.reap(process.processIdentifier)
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// nginx on loopback answering every request with 200, for the throughput test (Python's server is far slower
/// than the transport). Nil when nginx is not installed.
final class LoopbackNginx {
    let port: Int
    private let folder: String
    private let process: Process

    init?(certificate: String, key: String) throws {
        guard let nginx = Tools.find("nginx") else { return nil }
        folder = try Tools.temporaryFolder("essor-nginx")
        port = try LoopbackSSHD.freePort()
        let user = geteuid() == 0 ? "user root;" : ""
        let config = """
            \(user)
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(folder)/nginx.pid;
            error_log \(folder)/error.log;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path \(folder);
                proxy_temp_path \(folder);
                fastcgi_temp_path \(folder);
                uwsgi_temp_path \(folder);
                scgi_temp_path \(folder);
                keepalive_requests 1000000;
                server {
                    listen 127.0.0.1:\(port) ssl;
                    ssl_certificate \(certificate);
                    ssl_certificate_key \(key);
                    location / { return 200 "ok"; }
                }
            }
            """
        try config.write(toFile: "\(folder)/nginx.conf", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-p", folder, "-c", "\(folder)/nginx.conf"]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var tries = 0
        while !LoopbackSSHD.accepts(port) && tries < 100 {
            usleep(50_000)
            tries += 1
        }
        guard tries < 100 else { throw SSHDError(message: "nginx did not listen") }
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        Tools.reap(process.processIdentifier)
        try? FileManager.default.removeItem(atPath: folder)
    }
}
