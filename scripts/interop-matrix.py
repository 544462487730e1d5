#!/usr/bin/env python3
"""The interoperability matrix: HandshakeLab against OpenSSL and GnuTLS, both directions, every version and cipher
suite both sides support, with and without a client certificate.

Each cell is one real connection on 127.0.0.1: a peer server (`openssl s_server`, `gnutls-serv`) and
`handshakelab connect`, or `handshakelab serve` and a peer client (`openssl s_client`, `gnutls-cli`). A cell passes
when the handshake completes with the suite and version asked for, both sides verified the certificates they were
given against the demo root, and a line of application data made the round trip.

    scripts/interop-matrix.py --binary build/app/handshakelab                 # print the matrix
    scripts/interop-matrix.py --binary ... --write docs/interop.md           # regenerate the page
    scripts/interop-matrix.py --binary ... --check docs/interop.md           # what CTest runs

--check exits 1 when a cell fails, or when the page no longer says what this run found (then regenerate it with
--write). Which suites each peer offers is asked of the peer itself (`openssl ciphers`, `gnutls-cli --list`), so a
suite a peer lacks is listed as such, never counted as a failure.
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKI = os.path.join(ROOT, "resources", "pki")
VERSIONS = ["ssl3", "tls1.0", "tls1.1", "tls1.2"]
VERSION_NAMES = {"ssl3": "SSL 3.0", "tls1.0": "TLS 1.0", "tls1.1": "TLS 1.1", "tls1.2": "TLS 1.2"}
OPENSSL_FLAG = {"ssl3": "-ssl3", "tls1.0": "-tls1", "tls1.1": "-tls1_1", "tls1.2": "-tls1_2"}
GNUTLS_VERSION = {"ssl3": "SSL3.0", "tls1.0": "TLS1.0", "tls1.1": "TLS1.1", "tls1.2": "TLS1.2"}
GNUTLS_SINCE = {g: v for v, g in GNUTLS_VERSION.items()}
# GnuTLS keeps 3DES, RC4, MD5, plain RSA key transport and DHE out of NORMAL; the matrix asks it for everything it has.
GNUTLS_EXTRA = ":+3DES-CBC:+ARCFOUR-128:+MD5:+SHA256:+RSA:+DHE-RSA:+SIGN-ALL"
MARKER = "interop matrix ping"
TIMEOUT = 30


def pki(name):
    return os.path.join(PKI, name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    """A child process whose merged output is collected by a thread, so waiting for a line never blocks."""

    def __init__(self, args, stdin=True):
        self.args = args
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.out = b""
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for chunk in iter(lambda: self.p.stdout.read1(65536), b""):
            with self.lock:
                self.out += chunk

    def text(self):
        with self.lock:
            return self.out.decode("utf-8", "replace")

    def wait_for(self, pattern, seconds=TIMEOUT):
        """The first match of `pattern` in the output, or None once the process ended or time ran out."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            m = re.search(pattern, self.text())
            if m:
                return m
            if self.p.poll() is not None:
                self.reader.join(1)
                return re.search(pattern, self.text())
            time.sleep(0.02)
        return None

    def write(self, data):
        try:
            self.p.stdin.write(data.encode())
            self.p.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def close_input(self):
        try:
            self.p.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    def finish(self, seconds=10):
        try:
            self.p.wait(seconds)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.reader.join(2)
        return self.p.returncode

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()
        self.reader.join(2)


# --- what each side supports -----------------------------------------------------------------------------------

def engine_suites(binary):
    """{suite: [versions]} from `handshakelab suites` ("ssl3-tls1.2", "tls1.2", ...)."""
    out = subprocess.run([binary, "suites"], capture_output=True, text=True, check=True).stdout
    suites = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2 or not parts[0].startswith("TLS_"):
            continue
        lo, _, hi = parts[1].partition("-")
        hi = hi or lo
        suites[parts[0]] = VERSIONS[VERSIONS.index(lo):VERSIONS.index(hi) + 1]
    return suites


def openssl_support():
    """{version: set of IANA names} the installed OpenSSL negotiates at security level 0."""
    support = {}
    for v in VERSIONS:
        r = subprocess.run(["openssl", "ciphers", "-stdname", "-s", OPENSSL_FLAG[v], "ALL:@SECLEVEL=0"],
                           capture_output=True, text=True)
        support[v] = {line.split()[0] for line in r.stdout.splitlines() if r.returncode == 0 and line.strip()}
    return support


def gnutls_name(iana):
    """IANA's name in GnuTLS's spelling: TLS_RSA_WITH_RC4_128_SHA -> TLS_RSA_ARCFOUR_128_SHA1."""
    n = iana.replace("_WITH_", "_").replace("RC4_128", "ARCFOUR_128").replace("CHACHA20_POLY1305_SHA256",
                                                                             "CHACHA20_POLY1305")
    return n + "1" if n.endswith("_SHA") else n


def gnutls_support(engine):
    """{version: set of IANA names} the installed GnuTLS offers under the matrix's priority string."""
    support = {}
    for v in VERSIONS:
        r = subprocess.run(["gnutls-cli", "--list", "--priority", gnutls_priority(v)], capture_output=True,
                           text=True)
        names = {}
        for line in r.stdout.splitlines():
            m = re.match(r"(TLS_\S+)\s+0x[0-9a-f]{2}, 0x[0-9a-f]{2}\s+(\S+)", line)
            if m:
                names[m.group(1)] = m.group(2)
        ok = set()
        if r.returncode == 0 and "VERS-" + GNUTLS_VERSION[v] in r.stdout:
            for iana in engine:
                since = names.get(gnutls_name(iana))
                if since in GNUTLS_SINCE and VERSIONS.index(v) >= VERSIONS.index(GNUTLS_SINCE[since]):
                    ok.add(iana)
        support[v] = ok
    return support


def gnutls_priority(version):
    return "NORMAL:-VERS-ALL:+VERS-" + GNUTLS_VERSION[version] + GNUTLS_EXTRA


# --- one cell ---------------------------------------------------------------------------------------------------

def server_files(iana):
    leaf = "server-ecdsa" if "_ECDSA_" in iana else "server-rsa"
    return pki(leaf + ".chain.pem"), pki(leaf + ".key.pem")


def engine_client(binary, port, version, iana, auth):
    args = [binary, "connect", "127.0.0.1:%d" % port, "--ca", pki("root-ca.crt.pem"), "--servername", "localhost",
            "--min-version", version, "--max-version", version, "--suite", iana, "--send", MARKER,
            "--timeout", "20"]
    if auth:
        args += ["--cert", pki("client.chain.pem"), "--key", pki("client.key.pem")]
    r = subprocess.run(args, capture_output=True, text=True, timeout=60)
    return r


def check_engine_client(r, iana, reply):
    if r.returncode != 0:
        return "connect exited %d: %s" % (r.returncode, (r.stderr.strip().splitlines() or ["?"])[-1])
    if "Outcome: completed with " + iana not in r.stdout:
        return "the trace does not end completed with " + iana
    if "reply: " + reply not in r.stderr:
        return "no echo of the line sent"
    return None


def cell_engine_to_openssl(binary, version, iana, auth):
    port = free_port()
    leaf = "server-ecdsa" if "_ECDSA_" in iana else "server-rsa"
    # s_server sends only the first certificate of -cert's file; the intermediate goes in -cert_chain.
    args = ["openssl", "s_server", "-accept", "127.0.0.1:%d" % port, "-naccept", "1", "-rev", OPENSSL_FLAG[version],
            "-cipher", "ALL:@SECLEVEL=0", "-cert", pki(leaf + ".crt.pem"), "-key", pki(leaf + ".key.pem"),
            "-cert_chain", pki("intermediate-ca.crt.pem")]
    if auth:
        args += ["-Verify", "2", "-CAfile", pki("root-ca.crt.pem"), "-verify_return_error"]
    server = Proc(args, stdin=False)
    try:
        if not server.wait_for("ACCEPT"):
            return "openssl s_server did not start: " + server.text()[-300:]
        problem = check_engine_client(engine_client(binary, port, version, iana, auth), iana, MARKER[::-1])
        if problem is None and auth and not server.wait_for(r"Peer certificate: .*Demo Student[\s\S]*Verification: OK", 5):
            problem = "s_server did not verify the demo client certificate"
        return problem
    finally:
        server.kill()


def cell_engine_to_gnutls(binary, version, iana, auth):
    port = free_port()
    chain, key = server_files(iana)
    args = ["gnutls-serv", "--echo", "-p", str(port), "--x509certfile", chain, "--x509keyfile", key,
            "--priority", gnutls_priority(version)]
    args += ["--require-client-cert", "--x509cafile", pki("root-ca.crt.pem")] if auth else ["-a"]
    server = Proc(args, stdin=False)
    try:
        if not server.wait_for("listening on IPv4"):
            return "gnutls-serv did not start: " + server.text()[-300:]
        return check_engine_client(engine_client(binary, port, version, iana, auth), iana, MARKER)
    finally:
        server.kill()


def start_serve(binary, version, iana, auth):
    chain, key = server_files(iana)
    args = [binary, "serve", "--port", "0", "--min-version", version, "--max-version", version, "--suite", iana,
            "--cert", chain, "--key", key, "--timeout", "20"]
    if auth:
        args += ["--verify-client", pki("root-ca.crt.pem")]
    server = Proc(args, stdin=False)
    m = server.wait_for(r"listening on 127\.0\.0\.1:(\d+)")
    return server, (int(m.group(1)) if m else 0)


def check_serve(server, iana):
    rc = server.finish(15)
    if rc != 0:
        return "serve exited %s: %s" % (rc, (server.text().strip().splitlines() or ["?"])[-1])
    if "Outcome: completed with " + iana not in server.text():
        return "serve's trace does not end completed with " + iana
    return None


def peer_client_round_trip(client, verified):
    client.write(MARKER + "\n")
    echoed = client.wait_for("\n" + re.escape(MARKER))
    client.close_input()
    client.finish(10)
    if not re.search(verified, client.text()):
        return "the client did not verify the chain: " + client.text()[-300:]
    if not echoed:
        return "no echo: " + client.text()[-300:]
    return None


def cell_openssl_to_engine(binary, version, iana, auth):
    server, port = start_serve(binary, version, iana, auth)
    if not port:
        server.kill()
        return "serve did not start: " + server.text()[-300:]
    args = ["openssl", "s_client", "-connect", "127.0.0.1:%d" % port, "-CAfile", pki("root-ca.crt.pem"),
            "-verify_return_error", "-servername", "localhost", "-verify_hostname", "localhost",
            OPENSSL_FLAG[version], "-cipher", "ALL:@SECLEVEL=0"]
    if auth:
        args += ["-cert", pki("client.crt.pem"), "-key", pki("client.key.pem"), "-cert_chain",
                 pki("intermediate-ca.crt.pem")]
    client = Proc(args)
    try:
        problem = peer_client_round_trip(client, r"Verify return code: 0 \(ok\)")
        return problem or check_serve(server, iana)
    finally:
        client.kill()
        server.kill()


def cell_gnutls_to_engine(binary, version, iana, auth):
    server, port = start_serve(binary, version, iana, auth)
    if not port:
        server.kill()
        return "serve did not start: " + server.text()[-300:]
    args = ["gnutls-cli", "127.0.0.1", "-p", str(port), "--x509cafile", pki("root-ca.crt.pem"), "--sni-hostname",
            "localhost", "--verify-hostname", "localhost", "--priority", gnutls_priority(version)]
    if auth:
        args += ["--x509certfile", pki("client.chain.pem"), "--x509keyfile", pki("client.key.pem")]
    client = Proc(args)
    try:
        problem = peer_client_round_trip(client, r"- Status: The certificate is trusted\.")
        return problem or check_serve(server, iana)
    finally:
        client.kill()
        server.kill()


PEERS = {
    "OpenSSL": {"tool": "openssl", "support": openssl_support,
                "directions": [("HandshakeLab client, OpenSSL server", cell_engine_to_openssl),
                               ("OpenSSL client, HandshakeLab server", cell_openssl_to_engine)]},
    "GnuTLS": {"tool": "gnutls-cli", "support": None,
               "directions": [("HandshakeLab client, GnuTLS server", cell_engine_to_gnutls),
                              ("GnuTLS client, HandshakeLab server", cell_gnutls_to_engine)]},
}


def peer_version(peer):
    if peer == "OpenSSL":
        return subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
    return subprocess.run(["gnutls-cli", "--version"], capture_output=True, text=True).stdout.splitlines()[0]


# --- the page ---------------------------------------------------------------------------------------------------

def render(results, lacking, engine, peers_seen):
    lines = ["# Interoperability", "",
             "HandshakeLab's client and server against the two stacks Debian ships, OpenSSL and GnuTLS, in both",
             "directions, at every version and with every cipher suite both sides support, with and without a client",
             "certificate. Each cell is a real connection on 127.0.0.1: the handshake completes with the suite and",
             "version asked for, both sides verify the certificates against the demo root (and the host name",
             "`localhost`), and a line of application data makes the round trip.", "",
             "Generated by `scripts/interop-matrix.py --binary build/app/handshakelab --write docs/interop.md`; the test",
             "suite runs the same script with `--check`, which fails when a cell fails or this page is out of date.",
             "✓ passed, ✗ failed (the reason follows the table), \"client cert\" = the server demanded one and the",
             "client presented the demo client certificate.", ""]
    failures = []
    for peer in peers_seen:
        directions = PEERS[peer]["directions"]
        lines += ["## " + peer, "", "<!-- " + peer_version(peer) + " -->", ""]
        header = "| Version | Suite | " + " | ".join(
            "%s%s" % (d, a) for d, _ in directions for a in ("", ", client cert")) + " |"
        lines += [header, "|" + "---|" * (2 + 2 * len(directions))]
        for v in VERSIONS:
            for iana in engine:
                cells = [(name, a) for name, _ in directions for a in (False, True)]
                if all((peer, v, iana, name, a) not in results for name, a in cells):
                    continue
                marks = []
                for name, a in cells:
                    problem = results[(peer, v, iana, name, a)]
                    marks.append("✓" if problem is None else "✗")
                    if problem is not None:
                        failures.append("%s, %s, %s, %s%s: %s" % (peer, VERSION_NAMES[v], iana, name,
                                                                    ", client cert" if a else "", problem))
                lines.append("| %s | %s | %s |" % (VERSION_NAMES[v], iana, " | ".join(marks)))
        lines.append("")
        for v in VERSIONS:
            missing = lacking[peer].get(v)
            if missing is None:
                lines.append("%s: not offered by this %s build." % (VERSION_NAMES[v], peer))
            elif missing:
                lines.append("%s: suites HandshakeLab has and this %s does not offer: %s." % (
                    VERSION_NAMES[v], peer, ", ".join(sorted(missing))))
        lines.append("")
    if failures:
        lines += ["## Failures", ""] + ["- " + f for f in failures] + [""]
    return "\n".join(lines), failures


def comparable(page):
    """The page without the peers' version comments, which change with every Debian point release."""
    return [l for l in page.splitlines() if not l.startswith("<!--")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", required=True, help="the handshakelab executable")
    ap.add_argument("--write", metavar="FILE", help="write the matrix page to FILE")
    ap.add_argument("--check", metavar="FILE", help="fail when a cell fails or FILE differs from this run")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--peer", action="append", choices=sorted(PEERS), help="only this peer (repeatable)")
    opts = ap.parse_args()

    if not os.access(opts.binary, os.X_OK):
        print("interop-matrix: %s is not an executable" % opts.binary, file=sys.stderr)
        return 2
    peers = opts.peer or sorted(PEERS, key=lambda p: p != "OpenSSL")
    for peer in peers:
        if not shutil.which(PEERS[peer]["tool"]):
            print("interop-matrix: %s is not installed (scripts/setup.sh --tests installs it)" % PEERS[peer]["tool"],
                  file=sys.stderr)
            return 2

    engine = engine_suites(opts.binary)
    support = {"OpenSSL": openssl_support() if "OpenSSL" in peers else {},
               "GnuTLS": gnutls_support(engine) if "GnuTLS" in peers else {}}
    jobs, lacking = [], {}
    for peer in peers:
        lacking[peer] = {}
        for v in VERSIONS:
            offered = support[peer].get(v, set())
            ours = {s for s, vs in engine.items() if v in vs}
            lacking[peer][v] = (ours - offered) if offered else None
            for iana in sorted(ours & offered, key=list(engine).index):
                for name, fn in PEERS[peer]["directions"]:
                    for auth in (False, True):
                        jobs.append((peer, v, iana, name, auth, fn))

    started = time.monotonic()
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        futures = {pool.submit(fn, opts.binary, v, iana, auth): (peer, v, iana, name, auth)
                   for peer, v, iana, name, auth, fn in jobs}
        for f in concurrent.futures.as_completed(futures):
            peer, v, iana, name, auth = futures[f]
            try:
                results[(peer, v, iana, name, auth)] = f.result()
            except Exception as e:  # a tool that hung or vanished is this cell's failure, not the script's
                results[(peer, v, iana, name, auth)] = "%s: %s" % (type(e).__name__, e)
    page, failures = render(results, lacking, engine, peers)
    print("interop-matrix: %d connections in %.0f s, %d failed" % (len(jobs), time.monotonic() - started,
                                                                     len(failures)), file=sys.stderr)
    for f in failures[:20]:
        print("  FAIL " + f[:400], file=sys.stderr)
    if len(failures) > 20:
        print("  ... and %d more" % (len(failures) - 20), file=sys.stderr)

    if opts.write:
        with open(opts.write + ".tmp", "w") as out:
            out.write(page)
        os.replace(opts.write + ".tmp", opts.write)
    elif not opts.check:
        print(page)
    if opts.check:
        try:
            with open(opts.check) as f:
                committed = f.read()
        except OSError as e:
            print("interop-matrix: cannot read %s: %s" % (opts.check, e), file=sys.stderr)
            return 1
        if comparable(committed) != comparable(page):
            import difflib
            sys.stderr.writelines(difflib.unified_diff([l + "\n" for l in comparable(committed)],
                                                       [l + "\n" for l in comparable(page)], opts.check, "this run"))
            print("interop-matrix: %s is out of date; regenerate it with --write" % opts.check, file=sys.stderr)
            return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
