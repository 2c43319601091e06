// SigV4Canonical: canonical request building blocks, following the AWS SigV4 specification.
#include "aws/SigV4Canonical.h"

#include <QByteArrayList>

#include <algorithm>
#include <map>

namespace quarry::aws {

namespace {

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

// Dot segments resolved and empty segments dropped, keeping a leading and trailing '/'.
QByteArray normalizePath(const QByteArray &path)
{
    if (path.isEmpty())
        return QByteArrayLiteral("/");
    QByteArrayList kept;
    for (const QByteArray &segment : path.split('/')) {
        if (segment.isEmpty() || segment == ".")
            continue;
        if (segment == "..") {
            if (!kept.isEmpty())
                kept.removeLast();
            continue;
        }
        kept.append(segment);
    }
    QByteArray result = path.startsWith('/') ? QByteArrayLiteral("/") : QByteArray();
    result += kept.join('/');
    if (path.endsWith('/') && !kept.isEmpty())
        result += '/';
    return result;
}

} // namespace

QByteArray SigV4Canonical::uriEncode(const QByteArray &bytes, bool keepSlash)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(bytes.size() * 3);
    for (const char c : bytes) {
        if (isUnreserved(c) || (keepSlash && c == '/')) {
            out += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0xF];
        }
    }
    return out;
}

QByteArray SigV4Canonical::uri(const QByteArray &path)
{
    return uriEncode(normalizePath(path), true);
}

QByteArray SigV4Canonical::query(const QByteArray &query)
{
    if (query.isEmpty())
        return {};
    QList<QPair<QByteArray, QByteArray>> pairs;
    for (const QByteArray &pair : query.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const QByteArray key = eq < 0 ? pair : pair.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        // Decoding first makes "%3a", "%3A" and a raw byte all encode the same way.
        pairs.append({uriEncode(QByteArray::fromPercentEncoding(key), false),
                      uriEncode(QByteArray::fromPercentEncoding(value), false)});
    }
    std::sort(pairs.begin(), pairs.end());
    QByteArrayList joined;
    joined.reserve(pairs.size());
    for (const auto &[key, value] : pairs)
        joined.append(key + '=' + value);
    return joined.join('&');
}

SigV4Canonical::Headers SigV4Canonical::headers(const HeaderList &headers)
{
    std::map<QByteArray, QByteArrayList> byName; // sorted by lowercased name, bytewise
    for (const auto &[name, value] : headers)
        byName[name.trimmed().toLower()].append(value.simplified());
    Headers result;
    QByteArrayList names;
    for (const auto &[name, values] : byName) {
        result.canonical += name + ':' + values.join(',') + '\n';
        names.append(name);
    }
    result.signedHeaders = names.join(';');
    return result;
}

} // namespace quarry::aws
