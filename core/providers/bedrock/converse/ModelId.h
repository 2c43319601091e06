// Bedrock model ids (plain ids, inference profiles, ARNs) as URL path segments.
#pragma once

#include <QByteArray>
#include <QString>

namespace quarry::bedrock {

// Percent-encodes everything but RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), so the
// id stays one path segment: ':' becomes %3A and an ARN's '/' becomes %2F. This matches how the
// AWS SDKs serialise the {modelId} label; SigV4 then encodes the whole path once more.
QByteArray encodeModelIdForPath(const QString &modelId);

// The inverse, for ids taken from a passthrough path (/model/{modelId}/converse).
QString decodeModelIdFromPath(const QByteArray &segment);

} // namespace quarry::bedrock
