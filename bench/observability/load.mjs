// Fallback load generator when wrk is not installed: `connections` keep-alive loops of GET
// requests for `seconds`; prints {"rps": …, "errors": …}.
import http from 'node:http';

const [url, seconds, connections] = [
  process.argv[2],
  Number(process.argv[3]),
  Number(process.argv[4]),
];
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const until = Date.now() + seconds * 1000;
let done = 0;
let errors = 0;
const one = () =>
  new Promise((resolve) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) done++;
          else errors++;
          resolve();
        });
      })
      .on('error', () => {
        errors++;
        resolve();
      });
  });
const started = Date.now();
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (Date.now() < until) await one();
  }),
);
console.log(JSON.stringify({ rps: done / ((Date.now() - started) / 1000), errors }));
agent.destroy();
