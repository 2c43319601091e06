// SigV4 canonicalisation (core/aws) on requests shaped like the AWS SigV4 test suite's .req files:
//   METHOD target HTTP/1.1
//   Name:value
//   ...
//   (blank line) body
// The canonical path, query and headers are computed as the signer does, and the whole request is
// checked by SigV4Verifier as the simulator checks what Quarry sends (Authorization parsing,
// signed-header selection). uriEncode's output must be unreserved characters and %XX only.
#include "aws/AuthorizationHeader.h"
#include "aws/SigV4Canonical.h"
#include "aws/SigV4Verifier.h"

#include <QDateTime>

#include <cctype>
#include <cstddef>
#include <cstdint>

using namespace quarry::aws;
using namespace Qt::StringLiterals;

namespace {

SignableRequest readRequest(const QByteArray &text)
{
    SignableRequest request;
    const qsizetype blank = text.indexOf("\n\n");
    const QByteArray head = blank < 0 ? text : text.left(blank);
    if (blank >= 0)
        request.body = text.mid(blank + 2);
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.value(0).split(' ');
    request.method = requestLine.value(0);
    const QByteArray target = requestLine.value(1);
    const qsizetype question = target.indexOf('?');
    request.path = question < 0 ? target : target.left(question);
    request.query = question < 0 ? QByteArray() : target.mid(question + 1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon >= 0)
            request.headers.append({lines[i].left(colon), lines[i].mid(colon + 1)});
    }
    return request;
}

bool isUnreservedOrEscape(const QByteArray &encoded, bool keepSlash)
{
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        const char c = encoded[i];
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '~' ||
            (keepSlash && c == '/'))
            continue;
        if (c != '%' || i + 2 >= encoded.size() ||
            !std::isxdigit(static_cast<unsigned char>(encoded[i + 1])) ||
            !std::isxdigit(static_cast<unsigned char>(encoded[i + 2])))
            return false;
        i += 2;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    const SignableRequest request = readRequest(text);

    if (!isUnreservedOrEscape(SigV4Canonical::uriEncode(request.path, true), true) ||
        !isUnreservedOrEscape(SigV4Canonical::uriEncode(request.query, false), false))
        __builtin_trap();
    SigV4Canonical::uri(request.path);
    SigV4Canonical::query(request.query);
    SigV4Canonical::headers(request.headers);

    for (const auto &[name, value] : request.headers) {
        if (name.trimmed().compare("authorization", Qt::CaseInsensitive) == 0)
            AuthorizationHeader::parse(value.trimmed());
    }
    const auto lookup = [](const QString &) -> std::optional<QString> {
        return u"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"_s; // the SigV4 test suite's example key
    };
    SigV4Verifier::verify(request, lookup, QDateTime(QDate(2015, 8, 30), QTime(12, 36), Qt::UTC),
                          u"service"_s);
    return 0;
}
