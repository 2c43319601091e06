// SigV4Canonical: the canonical forms of path, query and headers that a SigV4 signature covers.
#pragma once

#include "aws/SignableRequest.h"

#include <QByteArray>

namespace quarry::aws {

class SigV4Canonical
{
public:
    struct Headers
    {
        QByteArray canonical;     // "name:value\n" per header, sorted by name
        QByteArray signedHeaders; // "host;x-amz-date"
    };

    // RFC 3986 percent-encoding of everything but unreserved characters (and '/' if kept).
    static QByteArray uriEncode(const QByteArray &bytes, bool keepSlash);
    // Non-S3 rule, as the AWS SDKs do it: remove dot segments and empty segments, then encode
    // the (already once-encoded) path again, so "%3A" becomes "%253A".
    static QByteArray uri(const QByteArray &path);
    // Pairs decoded then strictly re-encoded, sorted by key, then value.
    static QByteArray query(const QByteArray &query);
    // Names lowercased, values trimmed with inner whitespace runs collapsed, repeated
    // names joined with ',' in the order given.
    static Headers headers(const HeaderList &headers);
};

} // namespace quarry::aws
