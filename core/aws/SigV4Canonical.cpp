// SigV4Canonical: canonical request building blocks, following the AWS SigV4 specification.
#include "aws/SigV4Canonical.h"

#include <QByteArrayList>

#include <algorithm>

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
    // Nothing to resolve or drop (every request the gateway signs): the path as it is, shared.
    if (path.startsWith('/') && !path.contains("//") && !path.contains("/./") && !path.contains("/../")
        && !path.endsWith("/.") && !path.endsWith("/.."))
        return path;
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
    if (std::all_of(bytes.begin(), bytes.end(), [keepSlash](char c) { return isUnreserved(c) || (keepSlash && c == '/'); }))
        return bytes; // nothing to encode: shared, not copied
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

namespace {

// What simplified() would return it as: no whitespace at either end, and none inside but single
// spaces. Nearly every value is; simplified() copies it all the same, for every signed header.
bool isSimplified(QByteArrayView value)
{
    bool afterSpace = true; // so that a leading space fails
    for (const char c : value) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
        if (space && (afterSpace || c != ' '))
            return false;
        afterSpace = space;
    }
    return value.isEmpty() || !afterSpace;
}

} // namespace

SigV4Canonical::Headers SigV4Canonical::headers(const HeaderList &headers)
{
    // Sorted by lowercased name, bytewise; a stable sort keeps repeated headers' values in order.
    QList<QPair<QByteArray, QByteArray>> sorted;
    sorted.reserve(headers.size());
    qsizetype canonicalSize = 0;
    for (const auto &[name, value] : headers) {
        sorted.append({name.trimmed().toLower(), isSimplified(value) ? value : value.simplified()});
        canonicalSize += sorted.last().first.size() + sorted.last().second.size() + 2;
    }
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    Headers result;
    result.canonical.reserve(canonicalSize);
    for (qsizetype i = 0; i < sorted.size(); ++i) {
        const QByteArray &name = sorted.at(i).first;
        const bool repeated = i > 0 && sorted.at(i - 1).first == name;
        if (repeated) {
            result.canonical.chop(1); // the line goes on: "name:first,second"
            result.canonical += ',' + sorted.at(i).second + '\n';
            continue;
        }
        if (!result.signedHeaders.isEmpty())
            result.signedHeaders += ';';
        result.signedHeaders += name;
        result.canonical += name + ':' + sorted.at(i).second + '\n';
    }
    return result;
}

} // namespace quarry::aws
