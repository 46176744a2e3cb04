/* tls_x509.c - X.509 v3 DER parsing and chain validation; see tls_x509.h. */
#include "tls_x509.h"

#include <string.h>

#include "apogee/err.h"
#include "ecdsa_der.h"
#include "ecdsa_p256.h"
#include "ed25519.h"
#include "rsa_verify.h"
#include "sha256.h"
#include "sha512.h"
#include "tls_defs.h"

/* One DER element: a one-byte tag and a minimal definite length (at most
 * three length bytes: no certificate field is 16 MiB). */
static bool der_any(tls_rd *r, uint8_t *tag, tls_rd *content, tls_rd *whole)
{
    tls_rd s = *r;
    uint32_t t, l0, len;
    if (!tls_rd_u8(r, &t) || (t & 0x1F) == 0x1F || !tls_rd_u8(r, &l0))
        goto bad;
    if (l0 < 0x80) {
        len = l0;
    } else if (l0 == 0x81) {
        if (!tls_rd_u8(r, &len) || len < 0x80)
            goto bad;
    } else if (l0 == 0x82) {
        if (!tls_rd_u16(r, &len) || len < 0x100)
            goto bad;
    } else if (l0 == 0x83) {
        if (!tls_rd_u24(r, &len) || len < 0x10000)
            goto bad;
    } else {
        goto bad; /* indefinite or too long */
    }
    if (!tls_rd_take(r, len, content))
        goto bad;
    *tag = (uint8_t)t;
    if (whole) {
        whole->p = s.p;
        whole->n = (size_t)(r->p - s.p);
    }
    return true;
bad:
    *r = s;
    return false;
}

static bool der(tls_rd *r, uint8_t want, tls_rd *content)
{
    tls_rd s = *r;
    uint8_t tag;
    if (!der_any(r, &tag, content, NULL) || tag != want) {
        *r = s;
        return false;
    }
    return true;
}

/* An optional element: true (and consumed) only when the next tag is want. */
static bool der_opt(tls_rd *r, uint8_t want, tls_rd *content)
{
    return r->n && r->p[0] == want && der(r, want, content);
}

static bool oid_is(tls_rd oid, const uint8_t *v, size_t n)
{
    return oid.n == n && memcmp(oid.p, v, n) == 0;
}
#define OID_IS(o, lit) oid_is((o), (const uint8_t *)(lit), sizeof(lit) - 1)

#define OID_EC_PUBKEY "\x2A\x86\x48\xCE\x3D\x02\x01"
#define OID_P256 "\x2A\x86\x48\xCE\x3D\x03\x01\x07"
#define OID_ED25519 "\x2B\x65\x70"
#define OID_RSA "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x01"
#define OID_RSA_SHA256 "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0B"
#define OID_RSA_SHA384 "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0C"
#define OID_RSA_PSS "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0A"
#define OID_ECDSA_SHA256 "\x2A\x86\x48\xCE\x3D\x04\x03\x02"
#define OID_ECDSA_SHA384 "\x2A\x86\x48\xCE\x3D\x04\x03\x03"
#define OID_SHA256 "\x60\x86\x48\x01\x65\x03\x04\x02\x01"
#define OID_SHA384 "\x60\x86\x48\x01\x65\x03\x04\x02\x02"
#define OID_BASIC_CONSTRAINTS "\x55\x1D\x13"
#define OID_KEY_USAGE "\x55\x1D\x0F"
#define OID_EXT_KEY_USAGE "\x55\x1D\x25"
#define OID_SAN "\x55\x1D\x11"
#define OID_EKU_SERVER "\x2B\x06\x01\x05\x05\x07\x03\x01"
#define OID_EKU_CLIENT "\x2B\x06\x01\x05\x05\x07\x03\x02"
#define OID_EKU_ANY "\x55\x1D\x25\x00"

/* AlgorithmIdentifier of a signature. Returns X509_SIG_* or 0. */
static int sig_alg(tls_rd alg)
{
    tls_rd oid, params;
    if (!der(&alg, 0x06, &oid))
        return -1;
    if (OID_IS(oid, OID_ECDSA_SHA256) && alg.n == 0)
        return X509_SIG_ECDSA_SHA256;
    if (OID_IS(oid, OID_ECDSA_SHA384) && alg.n == 0)
        return X509_SIG_ECDSA_SHA384;
    if (OID_IS(oid, OID_ED25519) && alg.n == 0)
        return X509_SIG_ED25519;
    if (OID_IS(oid, OID_RSA_SHA256) || OID_IS(oid, OID_RSA_SHA384)) {
        /* parameters: NULL (or absent, which some encoders emit) */
        if (alg.n && !(alg.n == 2 && alg.p[0] == 0x05 && alg.p[1] == 0))
            return -1;
        return OID_IS(oid, OID_RSA_SHA256) ? X509_SIG_RSA_PKCS1_SHA256
                                           : X509_SIG_RSA_PKCS1_SHA384;
    }
    if (OID_IS(oid, OID_RSA_PSS)) {
        /* RSASSA-PSS-params: [0] hashAlgorithm decides; the default (SHA-1)
         * is not supported. MGF1 is assumed to use the same hash (as TLS and
         * every CA do); a mismatch fails the signature check. */
        tls_rd h, hid, hoid;
        if (!der(&alg, 0x30, &params) || alg.n || !der(&params, 0xA0, &h) ||
            !der(&h, 0x30, &hid) || !der(&hid, 0x06, &hoid))
            return 0;
        if (OID_IS(hoid, OID_SHA256))
            return X509_SIG_RSA_PSS_SHA256;
        if (OID_IS(hoid, OID_SHA384))
            return X509_SIG_RSA_PSS_SHA384;
        return 0;
    }
    return 0;
}

static int two(const uint8_t *p) { return (p[0] - '0') * 10 + (p[1] - '0'); }

bool x509_time(uint8_t tag, tls_rd t, int64_t *out)
{
    size_t dl = tag == 0x17 ? 12u : 14u; /* UTCTime : GeneralizedTime */
    if ((tag != 0x17 && tag != 0x18) || t.n != dl + 1 || t.p[dl] != 'Z')
        return false;
    for (size_t i = 0; i < dl; i++)
        if (t.p[i] < '0' || t.p[i] > '9')
            return false;
    const uint8_t *p = t.p;
    int64_t y;
    if (tag == 0x17) {
        y = two(p);
        y += y < 50 ? 2000 : 1900; /* RFC 5280 4.1.2.5.1 */
        p += 2;
    } else {
        y = two(p) * 100 + two(p + 2);
        p += 4;
    }
    int mo = two(p), d = two(p + 2), h = two(p + 4), mi = two(p + 6), s = two(p + 8);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
        return false;
    /* Days from the civil date (proleptic Gregorian), March-based year. */
    int64_t yy = y - (mo <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    *out = days * 86400 + h * 3600 + mi * 60 + s;
    return true;
}

static int parse_spki(x509_cert *c, tls_rd spki)
{
    tls_rd alg, oid, bits, param;
    if (!der(&spki, 0x30, &alg) || !der(&spki, 0x03, &bits) || spki.n || !der(&alg, 0x06, &oid))
        return APG_EBADMSG;
    if (bits.n < 1 || bits.p[0] != 0)
        return APG_EBADMSG;
    bits.p++;
    bits.n--;
    if (OID_IS(oid, OID_EC_PUBKEY)) {
        if (!der(&alg, 0x06, &param) || alg.n)
            return APG_EBADMSG;
        if (!OID_IS(param, OID_P256) || bits.n != 65 || bits.p[0] != 4)
            return APG_ENOTSUP;
        c->key_type = X509_KEY_P256;
        c->key = bits;
    } else if (OID_IS(oid, OID_ED25519)) {
        if (alg.n || bits.n != 32)
            return APG_EBADMSG;
        c->key_type = X509_KEY_ED25519;
        c->key = bits;
    } else if (OID_IS(oid, OID_RSA)) {
        tls_rd seq;
        if (!der(&bits, 0x30, &seq) || bits.n || !der(&seq, 0x02, &c->rsa_n) ||
            !der(&seq, 0x02, &c->rsa_e) || seq.n)
            return APG_EBADMSG;
        while (c->rsa_n.n && c->rsa_n.p[0] == 0) {
            c->rsa_n.p++;
            c->rsa_n.n--;
        }
        while (c->rsa_e.n && c->rsa_e.p[0] == 0) {
            c->rsa_e.p++;
            c->rsa_e.n--;
        }
        if (!c->rsa_n.n || !c->rsa_e.n)
            return APG_EBADMSG;
        c->key_type = X509_KEY_RSA;
    } else {
        return APG_ENOTSUP;
    }
    return APG_OK;
}

static int parse_ext(x509_cert *c, tls_rd ext)
{
    tls_rd oid, crit, val, v;
    bool critical = false;
    if (!der(&ext, 0x06, &oid))
        return APG_EBADMSG;
    if (der_opt(&ext, 0x01, &crit)) {
        if (crit.n != 1 || crit.p[0] != 0xFF) /* DER: TRUE is FF; FALSE is omitted */
            return APG_EBADMSG;
        critical = true;
    }
    if (!der(&ext, 0x04, &val) || ext.n)
        return APG_EBADMSG;
    if (OID_IS(oid, OID_BASIC_CONSTRAINTS)) {
        tls_rd seq, b, pl;
        if (!der(&val, 0x30, &seq) || val.n)
            return APG_EBADMSG;
        if (der_opt(&seq, 0x01, &b)) {
            if (b.n != 1 || b.p[0] != 0xFF)
                return APG_EBADMSG;
            c->ca = true;
        }
        if (der_opt(&seq, 0x02, &pl)) {
            if (pl.n != 1 || pl.p[0] > 0x7F || !c->ca)
                return APG_EBADMSG;
            c->path_len = pl.p[0];
        }
        if (seq.n)
            return APG_EBADMSG;
    } else if (OID_IS(oid, OID_KEY_USAGE)) {
        if (!der(&val, 0x03, &v) || val.n || v.n < 2 || v.p[0] > 7)
            return APG_EBADMSG;
        c->key_usage = v.p[1];
    } else if (OID_IS(oid, OID_EXT_KEY_USAGE)) {
        tls_rd seq, p;
        if (!der(&val, 0x30, &seq) || val.n || !seq.n)
            return APG_EBADMSG;
        c->eku = X509_EKU_PRESENT;
        while (seq.n) {
            if (!der(&seq, 0x06, &p))
                return APG_EBADMSG;
            if (OID_IS(p, OID_EKU_SERVER))
                c->eku |= X509_EKU_SERVER;
            else if (OID_IS(p, OID_EKU_CLIENT))
                c->eku |= X509_EKU_CLIENT;
            else if (OID_IS(p, OID_EKU_ANY))
                c->eku |= X509_EKU_ANY;
        }
    } else if (OID_IS(oid, OID_SAN)) {
        if (!der(&val, 0x30, &c->san) || val.n)
            return APG_EBADMSG;
    } else if (critical) {
        return APG_EBADMSG; /* 4.2: an unknown critical extension */
    }
    return APG_OK;
}

int x509_parse(x509_cert *c, const uint8_t *der_in, size_t len)
{
    tls_rd r = {der_in, len}, cert, tbs, alg, sig, ver, v, serial, alg2, validity, t, spki;
    tls_rd exts, ext, x;
    uint8_t tag;
    int e;
    memset(c, 0, sizeof *c);
    c->path_len = -1;
    c->key_usage = 0xFF;
    if (!der(&r, 0x30, &cert) || r.n)
        return APG_EBADMSG;
    if (!der_any(&cert, &tag, &tbs, &c->tbs) || tag != 0x30 || !der(&cert, 0x30, &alg) ||
        !der(&cert, 0x03, &sig) || cert.n)
        return APG_EBADMSG;
    if (sig.n < 1 || sig.p[0] != 0)
        return APG_EBADMSG;
    c->sig.p = sig.p + 1;
    c->sig.n = sig.n - 1;
    /* version [0] EXPLICIT: v3 (2) only, as RFC 5280 requires with extensions;
     * v1 certificates (no field) are still seen as old roots. */
    int version = 0;
    if (der_opt(&tbs, 0xA0, &ver)) {
        if (!der(&ver, 0x02, &v) || ver.n || v.n != 1 || v.p[0] > 2)
            return APG_EBADMSG;
        version = v.p[0];
    }
    if (!der(&tbs, 0x02, &serial) || serial.n < 1 || serial.n > 21 ||
        !der(&tbs, 0x30, &alg2))
        return APG_EBADMSG;
    if (!der_any(&tbs, &tag, &x, &c->issuer) || tag != 0x30)
        return APG_EBADMSG;
    if (!der(&tbs, 0x30, &validity))
        return APG_EBADMSG;
    if (!der_any(&validity, &tag, &t, NULL) || !x509_time(tag, t, &c->not_before) ||
        !der_any(&validity, &tag, &t, NULL) || !x509_time(tag, t, &c->not_after) || validity.n)
        return APG_EBADMSG;
    if (!der_any(&tbs, &tag, &x, &c->subject) || tag != 0x30 || !der(&tbs, 0x30, &spki))
        return APG_EBADMSG;
    if ((e = parse_spki(c, spki)) < 0)
        return e;
    (void)der_opt(&tbs, 0x81, &x); /* issuerUniqueID */
    (void)der_opt(&tbs, 0x82, &x); /* subjectUniqueID */
    if (der_opt(&tbs, 0xA3, &x)) {
        if (version != 2 || !der(&x, 0x30, &exts) || x.n)
            return APG_EBADMSG;
        while (exts.n) {
            if (!der(&exts, 0x30, &ext))
                return APG_EBADMSG;
            if ((e = parse_ext(c, ext)) < 0)
                return e;
        }
    }
    if (tbs.n)
        return APG_EBADMSG;
    /* The outer algorithm must equal the inner one (4.1.1.2). */
    if (alg.n != alg2.n || memcmp(alg.p, alg2.p, alg.n) != 0)
        return APG_EBADMSG;
    int s = sig_alg(alg);
    if (s < 0)
        return APG_EBADMSG;
    if (s == 0)
        return APG_ENOTSUP;
    c->sig_alg = (uint8_t)s;
    return APG_OK;
}

int x509_check_signature(const x509_cert *child, const x509_cert *issuer)
{
    uint8_t h[48];
    size_t hl = 32;
    switch (child->sig_alg) {
    case X509_SIG_ECDSA_SHA384:
    case X509_SIG_RSA_PKCS1_SHA384:
    case X509_SIG_RSA_PSS_SHA384:
        crypto_sha384(child->tbs.p, child->tbs.n, h);
        hl = 48;
        break;
    case X509_SIG_ED25519:
        break;
    default:
        crypto_sha256(child->tbs.p, child->tbs.n, h);
    }
    switch (child->sig_alg) {
    case X509_SIG_ECDSA_SHA256:
    case X509_SIG_ECDSA_SHA384: {
        uint8_t raw[64];
        if (issuer->key_type != X509_KEY_P256)
            return APG_EAUTH;
        if (crypto_ecdsa_sig_from_der(raw, 32, child->sig.p, child->sig.n) < 0)
            return APG_EAUTH;
        return crypto_ecdsa_p256_verify(h, hl, issuer->key.p, raw) == APG_OK ? APG_OK
                                                                             : APG_EAUTH;
    }
    case X509_SIG_ED25519:
        if (issuer->key_type != X509_KEY_ED25519 || child->sig.n != 64)
            return APG_EAUTH;
        return crypto_ed25519_verify(child->sig.p, issuer->key.p, child->tbs.p, child->tbs.n);
    default: {
        if (issuer->key_type != X509_KEY_RSA)
            return APG_EAUTH;
        enum crypto_rsa_hash hid = hl == 48 ? CRYPTO_RSA_SHA384 : CRYPTO_RSA_SHA256;
        int r;
        if (child->sig_alg == X509_SIG_RSA_PKCS1_SHA256 ||
            child->sig_alg == X509_SIG_RSA_PKCS1_SHA384)
            r = crypto_rsa_verify_pkcs1(issuer->rsa_n.p, issuer->rsa_n.n, issuer->rsa_e.p,
                                        issuer->rsa_e.n, hid, h, hl, child->sig.p, child->sig.n);
        else
            r = crypto_rsa_verify_pss(issuer->rsa_n.p, issuer->rsa_n.n, issuer->rsa_e.p,
                                      issuer->rsa_e.n, hid, h, hl, child->sig.p, child->sig.n,
                                      CRYPTO_RSA_PSS_SALT_AUTO);
        return r == APG_OK ? APG_OK : r == APG_ENOTSUP ? APG_ENOTSUP : APG_EAUTH;
    }
    }
}

/* IPv4 dotted quad or IPv6 (with one "::") into out; returns 4, 16 or 0. */
static size_t parse_ip(const char *s, uint8_t out[16])
{
    if (!strchr(s, ':')) {
        unsigned i = 0, v = 0, digits = 0;
        for (;; s++) {
            if (*s >= '0' && *s <= '9') {
                v = v * 10 + (unsigned)(*s - '0');
                if (++digits > 3 || v > 255)
                    return 0;
            } else if ((*s == '.' || *s == 0) && digits && i < 4) {
                out[i++] = (uint8_t)v;
                v = digits = 0;
                if (*s == 0)
                    break;
            } else {
                return 0;
            }
        }
        return i == 4 ? 4 : 0;
    }
    uint16_t g[8];
    int n = 0, gap = -1;
    if (s[0] == ':' && s[1] == ':') {
        gap = 0;
        s += 2;
    }
    while (*s) {
        unsigned v = 0, digits = 0;
        while (*s && *s != ':') {
            char ch = *s++;
            int d = ch >= '0' && ch <= '9' ? ch - '0'
                    : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                    : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
            if (d < 0 || ++digits > 4)
                return 0;
            v = v << 4 | (unsigned)d;
        }
        if (!digits || n == 8)
            return 0;
        g[n++] = (uint16_t)v;
        if (*s == ':') {
            s++;
            if (*s == ':') {
                if (gap >= 0)
                    return 0;
                gap = n;
                s++;
            } else if (*s == 0) {
                return 0;
            }
        }
    }
    if ((gap < 0 && n != 8) || (gap >= 0 && n > 7))
        return 0;
    memset(out, 0, 16);
    int tail = gap < 0 ? 0 : n - gap;
    for (int i = 0; i < n; i++) {
        int at = gap < 0 || i < gap ? i : 8 - tail + (i - gap);
        out[2 * at] = (uint8_t)(g[i] >> 8);
        out[2 * at + 1] = (uint8_t)g[i];
    }
    return 16;
}

static char lower(char ch) { return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch; }

static bool dns_eq(const uint8_t *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return false;
    for (size_t i = 0; i < an; i++)
        if (lower((char)a[i]) != lower(b[i]))
            return false;
    return true;
}

/* RFC 6125 6.4.3, the common subset: "*" may only be the whole left-most
 * label and matches exactly one non-empty label. */
static bool dns_match(tls_rd pat, const char *name)
{
    size_t nl = strlen(name);
    if (nl && name[nl - 1] == '.')
        nl--;
    if (pat.n >= 3 && pat.p[0] == '*' && pat.p[1] == '.') {
        const char *dot = memchr(name, '.', nl);
        if (!dot || dot == name)
            return false;
        return dns_eq(pat.p + 1, pat.n - 1, dot, nl - (size_t)(dot - name));
    }
    return dns_eq(pat.p, pat.n, name, nl);
}

bool x509_match_name(const x509_cert *c, const char *name)
{
    uint8_t ip[16];
    size_t iplen = parse_ip(name, ip);
    tls_rd san = c->san, v;
    uint8_t tag;
    while (san.n && der_any(&san, &tag, &v, NULL)) {
        if (iplen && tag == 0x87 && v.n == iplen && memcmp(v.p, ip, iplen) == 0)
            return true;
        if (!iplen && tag == 0x82 && dns_match(v, name))
            return true;
    }
    return false;
}

static bool same(tls_rd a, tls_rd b) { return a.n == b.n && memcmp(a.p, b.p, a.n) == 0; }

static int check_time(const x509_cert *c, int64_t now)
{
    if (now >= 0 && (now < c->not_before || now > c->not_after))
        return TLS_ALERT_CERTIFICATE_EXPIRED;
    return 0;
}

/* issuer may sign child as certificate number depth (0 = leaf) of the path. */
static int check_issuer(const x509_cert *issuer, size_t cas_below)
{
    if (!issuer->ca || !(issuer->key_usage & X509_KU_KEY_CERT_SIGN))
        return TLS_ALERT_BAD_CERTIFICATE;
    if (issuer->path_len >= 0 && cas_below > (size_t)issuer->path_len)
        return TLS_ALERT_BAD_CERTIFICATE;
    return 0;
}

int x509_verify_chain(const tls_rd *chain, size_t n, const tls_rd *anchors, size_t na,
                      int64_t now, const char *name, uint8_t purpose, x509_cert *leaf)
{
    x509_cert cur, next;
    int r, a;
    if (n == 0)
        return TLS_ALERT_BAD_CERTIFICATE;
    r = x509_parse(leaf, chain[0].p, chain[0].n);
    if (r < 0)
        return r == APG_ENOTSUP ? TLS_ALERT_UNSUPPORTED_CERTIFICATE : TLS_ALERT_BAD_CERTIFICATE;
    if ((a = check_time(leaf, now)))
        return a;
    if (!(leaf->key_usage & X509_KU_DIGITAL_SIGNATURE))
        return TLS_ALERT_BAD_CERTIFICATE;
    if ((leaf->eku & X509_EKU_PRESENT) && !(leaf->eku & (purpose | X509_EKU_ANY)))
        return TLS_ALERT_BAD_CERTIFICATE;
    if (name && !x509_match_name(leaf, name))
        return TLS_ALERT_BAD_CERTIFICATE;
    cur = *leaf;
    size_t chain_i = 0; /* where cur is in the list */
    for (size_t i = 0;; i++) {
        /* Is cur itself an anchor, or signed by one? */
        int near = 0; /* an anchor with the right name refused to sign cur */
        for (size_t j = 0; j < na; j++) {
            if (same(anchors[j], chain[chain_i]))
                return 0;
            if (x509_parse(&next, anchors[j].p, anchors[j].n) < 0)
                continue;
            if (!same(next.subject, cur.issuer))
                continue;
            if (check_issuer(&next, i) == 0 && x509_check_signature(&cur, &next) == APG_OK)
                return 0;
            near = TLS_ALERT_BAD_CERTIFICATE;
        }
        if (i + 1 >= n)
            return near ? near : (int)TLS_ALERT_UNKNOWN_CA;
        /* RFC 8446 4.4.2: tolerate extra certificates and any order after the
         * leaf: the issuer is whichever one has the right subject. The depth
         * i bounds the walk, so a loop in the list cannot run forever. */
        size_t j;
        for (j = 1; j < n; j++) {
            r = x509_parse(&next, chain[j].p, chain[j].n);
            if (r == APG_OK && same(next.subject, cur.issuer))
                break;
        }
        if (j == n)
            return near ? near : (int)TLS_ALERT_UNKNOWN_CA;
        if ((a = check_time(&next, now)) || (a = check_issuer(&next, i)))
            return a;
        r = x509_check_signature(&cur, &next);
        if (r == APG_ENOTSUP)
            return TLS_ALERT_UNSUPPORTED_CERTIFICATE;
        if (r < 0)
            return TLS_ALERT_BAD_CERTIFICATE;
        chain_i = j;
        cur = next;
    }
}
