/*
 * apogee/err.h - the one error enum shared by every module.
 *
 * Functions that can fail return an int: >= 0 is success (often a length), and a
 * negative value is one of these codes. Modules never invent their own negative
 * numbers, so an error can travel from a driver through the network stack and TLS
 * up to the application unchanged.
 */
#ifndef APOGEE_ERR_H
#define APOGEE_ERR_H

enum apg_err {
    APG_OK = 0,
    APG_EINVAL = -1,     /* an argument is out of its documented range */
    APG_ENOMEM = -2,     /* a fixed-size pool or buffer is exhausted (counted) */
    APG_EAGAIN = -3,     /* not ready now; try again after the next poll */
    APG_EMSGSIZE = -4,   /* input or output does not fit the buffer given */
    APG_EBADMSG = -5,    /* malformed input: parse or checksum failure */
    APG_EAUTH = -6,      /* authentication failed: bad tag, signature or MAC */
    APG_ENOTSUP = -7,    /* valid but not supported by this build */
    APG_ETIMEDOUT = -8,  /* a deadline passed */
    APG_ECONNRESET = -9, /* the peer reset the connection */
    APG_ECONNREFUSED = -10,
    APG_ENOTCONN = -11,
    APG_EADDRINUSE = -12,
    APG_EHOSTUNREACH = -13,
    APG_ECLOSED = -14,   /* the connection or object is closed */
    APG_ESTATE = -15,    /* the call is not valid in the object's current state */
    APG_EIO = -16,       /* a device reported a failure */
    APG_ERANGE = -17,    /* a numeric value is outside the valid range */
};

#endif /* APOGEE_ERR_H */
