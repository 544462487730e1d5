#!/usr/bin/env python3
"""Known answers for SSL 3.0 and TLS 1.0, computed from the RFCs' text with Python's standard library only.

This is a second, independent implementation of what the engine does in C++: it shares no code with it. Run
    python3 tests/data/crypto/make_version_vectors.py > tests/data/crypto/version_vectors.txt
to make the file the tests read (the output is fixed: every input below is a constant).
"""
import hashlib
import hmac

def h(data):
    return data.hex()

def md5(b):
    return hashlib.md5(b).digest()

def sha1(b):
    return hashlib.sha1(b).digest()

# Inputs: arbitrary but fixed bytes.
pre_master = bytes([0x03, 0x00]) + bytes(range(1, 47))
client_random = bytes(range(0x20, 0x40))
server_random = bytes(range(0x80, 0xa0))
messages = b"".join(bytes([t]) + len(b).to_bytes(3, "big") + b for t, b in
                    [(1, b"client hello bytes" * 3), (2, b"server hello bytes" * 2), (11, bytes(range(256))),
                     (14, b""), (16, b"\x00\x80" + bytes(range(128)))])

# RFC 6101 §6.1 and §6.2.2: MD5(secret + SHA('A' + secret + seed)) + MD5(secret + SHA('BB' + ...)) + ...
def ssl3_expand(secret, seed, n):
    out = b""
    i = 0
    while len(out) < n:
        salt = bytes([ord("A") + i]) * (i + 1)
        out += md5(secret + sha1(salt + secret + seed))
        i += 1
    return out[:n]

ssl3_master = ssl3_expand(pre_master, client_random + server_random, 48)
# TLS_RSA_WITH_AES_128_CBC_SHA: 2 x (20 MAC + 16 key + 16 IV) = 104 bytes
ssl3_key_block = ssl3_expand(ssl3_master, server_random + client_random, 104)

# RFC 6101 §5.2.3.1: hash(MAC_write_secret + pad_2 + hash(MAC_write_secret + pad_1 + seq_num + type + length + content))
def ssl3_mac(hashfn, pad_len, secret, seq, ctype, content):
    inner = hashfn(secret + b"\x36" * pad_len + seq.to_bytes(8, "big") + bytes([ctype]) + len(content).to_bytes(2, "big") + content)
    return hashfn(secret + b"\x5c" * pad_len + inner)

mac_secret_sha = bytes(range(0x40, 0x54))  # 20 bytes
mac_secret_md5 = bytes(range(0x60, 0x70))  # 16 bytes
content = b"GET / HTTP/1.0\r\n\r\n"
mac_sha = ssl3_mac(sha1, 40, mac_secret_sha, 7, 23, content)
mac_md5 = ssl3_mac(md5, 48, mac_secret_md5, 7, 23, content)

# RFC 6101 §5.6.9 and §5.6.8
def ssl3_hs_hash(master, sender):
    m = md5(master + b"\x5c" * 48 + md5(messages + sender + master + b"\x36" * 48))
    s = sha1(master + b"\x5c" * 40 + sha1(messages + sender + master + b"\x36" * 40))
    return m + s

ssl3_client_finished = ssl3_hs_hash(ssl3_master, b"CLNT")
ssl3_server_finished = ssl3_hs_hash(ssl3_master, b"SRVR")
ssl3_cert_verify = ssl3_hs_hash(ssl3_master, b"")

# RFC 2246 §5: PRF = P_MD5(S1, label + seed) XOR P_SHA-1(S2, label + seed)
def p_hash(hashname, secret, seed, n):
    out = b""
    a = seed
    while len(out) < n:
        a = hmac.new(secret, a, hashname).digest()
        out += hmac.new(secret, a + seed, hashname).digest()
    return out[:n]

def prf10(secret, label, seed, n):
    half = (len(secret) + 1) // 2
    s1, s2 = secret[:half], secret[len(secret) - half:]
    a = p_hash("md5", s1, label + seed, n)
    b = p_hash("sha1", s2, label + seed, n)
    return bytes(x ^ y for x, y in zip(a, b))

tls10_pre_master = bytes([0x03, 0x01]) + bytes(range(1, 47))
tls10_master = prf10(tls10_pre_master, b"master secret", client_random + server_random, 48)
tls10_key_block = prf10(tls10_master, b"key expansion", server_random + client_random, 104)
tls10_digest = md5(messages) + sha1(messages)
tls10_client_finished = prf10(tls10_master, b"client finished", tls10_digest, 12)
tls10_server_finished = prf10(tls10_master, b"server finished", tls10_digest, 12)
# TLS 1.1 (RFC 4346 §6.3) derives no CBC IVs: 2 x (20 + 16) = 72 bytes, the same PRF output cut shorter.
tls11_key_block = prf10(tls10_master, b"key expansion", server_random + client_random, 72)

for name, value in [
    ("pre_master_ssl3", pre_master), ("client_random", client_random), ("server_random", server_random),
    ("messages", messages),
    ("ssl3_master", ssl3_master), ("ssl3_key_block", ssl3_key_block),
    ("mac_secret_sha", mac_secret_sha), ("mac_secret_md5", mac_secret_md5), ("mac_content", content),
    ("ssl3_mac_sha", mac_sha), ("ssl3_mac_md5", mac_md5),
    ("ssl3_client_finished", ssl3_client_finished), ("ssl3_server_finished", ssl3_server_finished),
    ("ssl3_cert_verify", ssl3_cert_verify),
    ("pre_master_tls10", tls10_pre_master), ("tls10_master", tls10_master), ("tls10_key_block", tls10_key_block),
    ("tls10_digest", tls10_digest), ("tls10_client_finished", tls10_client_finished),
    ("tls10_server_finished", tls10_server_finished), ("tls11_key_block", tls11_key_block),
]:
    print(f"{name}={h(value)}")
