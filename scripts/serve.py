"""Static file server for the site on 127.0.0.1 (scripts/serve.sh, the browser tests).

Hands out files only (.wasm as application/wasm, as http.server does) and sends the
cross-origin isolation headers, COOP `same-origin` and COEP `require-corp`, so the
page is isolated at its first load and its worker runs the threaded build.

  --isolation on     the headers (the default)
  --isolation off    an explicit `Cross-Origin-Embedder-Policy: unsafe-none`: a host
                     that opts out; the service worker leaves it, the page stays on
                     the single-thread build (the browser tests' fallback run)
  --isolation plain  no such headers at all, like a static host that sets none: the
                     site's service worker adds them from the second load on
"""

import argparse
import functools
import http.server

HEADERS = {
    'on': [('Cross-Origin-Opener-Policy', 'same-origin'), ('Cross-Origin-Embedder-Policy', 'require-corp')],
    'off': [('Cross-Origin-Embedder-Policy', 'unsafe-none')],
    'plain': [],
}


class Handler(http.server.SimpleHTTPRequestHandler):
    extra = []

    def end_headers(self):
        for name, value in self.extra:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('port', type=int, help='0: any free port')
    parser.add_argument('--directory', default='.')
    parser.add_argument('--isolation', choices=sorted(HEADERS), default='on')
    args = parser.parse_args()
    handler = type('Handler', (Handler,), {'extra': HEADERS[args.isolation]})
    server = http.server.ThreadingHTTPServer(('127.0.0.1', args.port), functools.partial(handler, directory=args.directory))
    # Port 0 takes a free one: the first line out says which.
    print(f'http://127.0.0.1:{server.server_address[1]}/', flush=True)
    server.serve_forever()


if __name__ == '__main__':
    main()
