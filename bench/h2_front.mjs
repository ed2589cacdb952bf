// HTTP/2 over TLS in front of the local server, as CloudFront serves the app and the API (the
// local server speaks HTTP/1.1, and Lighthouse's simulation charges each of its connections a
// handshake and a slow start of its own). Measurement only: bench/web_budget.py --h2.
//   node bench/h2_front.mjs <port to listen on> <local server's port> <dir with key.pem, cert.pem>
import fs from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import path from "node:path";

const [listen, upstream, certs] = process.argv.slice(2);
// hop-by-hop headers exist in HTTP/1.1 only: HTTP/2 refuses them
const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "host"]);
const pick = (headers) => Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith(":") && !HOP.has(k)));

const server = http2.createSecureServer({
  key: fs.readFileSync(path.join(certs, "key.pem")),
  cert: fs.readFileSync(path.join(certs, "cert.pem")),
});
server.on("request", (req, res) => {
  const headers = { ...pick(req.headers), host: `127.0.0.1:${upstream}` };
  const forward = http.request(
    { host: "127.0.0.1", port: Number(upstream), method: req.method, path: req.url, headers },
    (reply) => {
      res.writeHead(reply.statusCode ?? 502, pick(reply.headers));
      reply.pipe(res);
    },
  );
  forward.on("error", () => {
    res.writeHead(502);
    res.end();
  });
  req.pipe(forward);
});
server.listen(Number(listen), "127.0.0.1", () => console.log(`listening ${listen}`));
