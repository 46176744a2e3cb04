/*
 * tls_x509.h - X.509 v3 certificates in DER (RFC 5280) for TLS: parsing,
 * signature checks, chain validation to trust anchors, and name matching.
 *
 * Parsing is strict DER through bounds-checked windows (tls_codec.h): definite
 * minimal lengths, one-byte tags, nothing after a structure. The parsed form
 * (x509_cert) points into the caller's DER; nothing is copied, nothing
 * allocated. Supported keys: EC P-256, Ed25519, RSA 2048..4096. Supported
 * signatures: ecdsa-with-SHA256/384, Ed25519, sha256/384WithRSAEncryption and
 * RSASSA-PSS (SHA-256 or SHA-384, MGF1 with the same hash).
 *
 * Validation (x509_verify_chain): the peer's list is leaf first; each
 * certificate must be signed by the next, and the last by a trust anchor (or be
 * one, byte for byte). Every certificate must be valid at `now` (seconds since
 * 1970, UTC; pass a negative now to skip the time check when the board has no
 * clock). Issuers must be CAs (basicConstraints cA) within their pathLen and,
 * when keyUsage is present, allowed keyCertSign. The leaf must allow
 * digitalSignature (if keyUsage is present) and the wanted purpose (if
 * extKeyUsage is present), and match the expected name (subjectAltName dNSName
 * with a left-most "*" label, or iPAddress for an address literal; the subject
 * CN is not used). Unknown critical extensions are rejected.
 */
#ifndef TLS_X509_H
#define TLS_X509_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tls_codec.h"

enum x509_key { X509_KEY_NONE = 0, X509_KEY_P256, X509_KEY_ED25519, X509_KEY_RSA };
enum x509_sig {
    X509_SIG_NONE = 0,
    X509_SIG_ECDSA_SHA256,
    X509_SIG_ECDSA_SHA384,
    X509_SIG_ED25519,
    X509_SIG_RSA_PKCS1_SHA256,
    X509_SIG_RSA_PKCS1_SHA384,
    X509_SIG_RSA_PSS_SHA256,
    X509_SIG_RSA_PSS_SHA384,
};
#define X509_EKU_PRESENT 0x01u
#define X509_EKU_SERVER 0x02u
#define X509_EKU_CLIENT 0x04u
#define X509_EKU_ANY 0x08u
#define X509_KU_DIGITAL_SIGNATURE 0x80u /* first byte of the KeyUsage bits */
#define X509_KU_KEY_CERT_SIGN 0x04u

typedef struct {
    tls_rd tbs;             /* the signed bytes: TBSCertificate with its header */
    tls_rd issuer, subject; /* Name elements with their headers (compared bytewise) */
    tls_rd sig;             /* signature value (BIT STRING content minus the pad byte) */
    tls_rd key;             /* P-256: 65-byte point; Ed25519: 32 bytes */
    tls_rd rsa_n, rsa_e;    /* RSA modulus and exponent, leading zero removed */
    tls_rd san;             /* GeneralNames content, or empty */
    int64_t not_before, not_after;
    int16_t path_len;       /* -1: no limit */
    uint8_t key_type, sig_alg;
    uint8_t key_usage;      /* first KeyUsage byte; 0xFF when the extension is absent */
    uint8_t eku;            /* X509_EKU_* */
    bool ca;
} x509_cert;

/* Parse one certificate. Returns APG_OK, APG_EBADMSG (malformed DER or an
 * unknown critical extension) or APG_ENOTSUP (a key or signature algorithm
 * not listed above). */
int x509_parse(x509_cert *c, const uint8_t *der, size_t len);

/* Check child's signature with issuer's key: APG_OK, APG_EAUTH, APG_ENOTSUP. */
int x509_check_signature(const x509_cert *child, const x509_cert *issuer);

/* name is a DNS name or an IPv4/IPv6 literal. true if the SAN matches. */
bool x509_match_name(const x509_cert *c, const char *name);

/* Parse an RFC 5280 time (UTCTime YYMMDDHHMMSSZ or GeneralizedTime
 * YYYYMMDDHHMMSSZ) into seconds since 1970. false when malformed. */
bool x509_time(uint8_t tag, tls_rd t, int64_t *out);

#define X509_PURPOSE_SERVER X509_EKU_SERVER
#define X509_PURPOSE_CLIENT X509_EKU_CLIENT

/* Validate chain[0..n) (leaf first) against anchors[0..na); see above.
 * name may be NULL to skip the name check (client certificates). On success
 * *leaf is the parsed leaf (pointing into chain[0]). Returns 0 or the TLS alert
 * to send: bad_certificate (malformed, bad signature, wrong name or usage),
 * unsupported_certificate, certificate_expired, unknown_ca. */
int x509_verify_chain(const tls_rd *chain, size_t n, const tls_rd *anchors, size_t na,
                      int64_t now, const char *name, uint8_t purpose, x509_cert *leaf);

#endif /* TLS_X509_H */
