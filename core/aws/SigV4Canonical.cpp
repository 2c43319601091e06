// SigV4Canonical: canonical request building blocks, following the AWS SigV4 specification.
#include "aws/SigV4Canonical.h"

#include <QByteArrayList>
#include <QVarLengthArray>

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

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

// Bytewise order of the names as lowercased, without lowercasing copies of them.
bool lessIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return uchar(asciiLower(x)) < uchar(asciiLower(y));
    });
}

void appendLowercase(QByteArray &out, QByteArrayView name)
{
    const qsizetype start = out.size();
    out.resize(start + name.size());
    std::transform(name.begin(), name.end(), out.begin() + start, asciiLower);
}

} // namespace

SigV4Canonical::Headers SigV4Canonical::headers(const HeaderList &headers)
{
    // Sorted by lowercased name, bytewise; a stable sort keeps repeated headers' values in order.
    // The names are compared and written lowercased in place: the gateway signs about six headers
    // a request, and making a lowercased copy of each cost more than sorting them.
    struct Entry
    {
        QByteArrayView name; // trimmed
        const QByteArray *value;
    };
    QVarLengthArray<Entry, 16> sorted;
    qsizetype namesSize = 0, valuesSize = 0;
    for (const auto &[name, value] : headers) {
        sorted.append({QByteArrayView(name).trimmed(), &value});
        namesSize += name.size() + 1;
        valuesSize += value.size() + 1;
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Entry &a, const Entry &b) { return lessIgnoringCase(a.name, b.name); });
    Headers result;
    result.canonical.reserve(namesSize + valuesSize);
    result.signedHeaders.reserve(namesSize);
    for (qsizetype i = 0; i < sorted.size(); ++i) {
        const Entry &entry = sorted.at(i);
        const QByteArrayView value = *entry.value;
        const bool repeated = i > 0 && !lessIgnoringCase(sorted.at(i - 1).name, entry.name);
        if (repeated) {
            result.canonical.chop(1); // the line goes on: "name:first,second"
            result.canonical.append(',');
        } else {
            if (!result.signedHeaders.isEmpty())
                result.signedHeaders.append(';');
            appendLowercase(result.signedHeaders, entry.name);
            appendLowercase(result.canonical, entry.name);
            result.canonical.append(':');
        }
        if (isSimplified(value))
            result.canonical.append(value);
        else
            result.canonical.append(entry.value->simplified());
        result.canonical.append('\n');
    }
    return result;
}

} // namespace quarry::aws
