// Response serialisation on the hot path: appends into a reused buffer, no QString involved.
#include "http/ResponseEncoder.h"

#include "util/NameMatch.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <ctime>

using namespace Qt::StringLiterals;

namespace quarry::http {

namespace {

void appendNumber(QByteArray &out, qint64 value, int base = 10)
{
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value, base);
    out.append(digits, qsizetype(result.ptr - digits));
}

void appendTwoDigits(char *out, int value)
{
    out[0] = char('0' + value / 10);
    out[1] = char('0' + value % 10);
}

// Headers the connection writes itself; a handler's copy would duplicate or contradict them.
bool isManagedHeader(QByteArrayView name)
{
    return util::isOneOfIgnoringCase(name, {"content-length", "transfer-encoding", "connection", "keep-alive",
                                            "date", "server", "upgrade"});
}

bool breaksFraming(QByteArrayView text)
{
    return text.contains('\r') || text.contains('\n') || text.contains('\0');
}

} // namespace

bool ResponseEncoder::isHandlerHeader(const HttpHeader &header)
{
    return !header.name.isEmpty() && !isManagedHeader(header.name) && !breaksFraming(header.name) &&
           !header.name.contains(':') && !breaksFraming(header.value);
}

QByteArrayView ResponseEncoder::reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 424:
        return "Failed Dependency";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 499:
        return "Client Closed Request";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return {};
    }
}

QByteArrayView ResponseEncoder::httpDate()
{
    // Formatted by hand: strftime's %a/%b follow the C locale, which Qt sets from the environment.
    static constexpr const char *days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    thread_local std::time_t cachedSecond = -1;
    thread_local char text[30];
    const std::time_t now = std::time(nullptr);
    if (now != cachedSecond) {
        std::tm utc{};
#ifdef Q_OS_WIN
        gmtime_s(&utc, &now);
#else
        gmtime_r(&now, &utc);
#endif
        std::memcpy(text, days[utc.tm_wday], 3);
        text[3] = ',';
        text[4] = ' ';
        appendTwoDigits(text + 5, utc.tm_mday);
        text[7] = ' ';
        std::memcpy(text + 8, months[utc.tm_mon], 3);
        text[11] = ' ';
        const int year = utc.tm_year + 1900;
        appendTwoDigits(text + 12, year / 100);
        appendTwoDigits(text + 14, year % 100);
        text[16] = ' ';
        appendTwoDigits(text + 17, utc.tm_hour);
        text[19] = ':';
        appendTwoDigits(text + 20, utc.tm_min);
        text[22] = ':';
        appendTwoDigits(text + 23, utc.tm_sec);
        std::memcpy(text + 25, " GMT", 4);
        cachedSecond = now;
    }
    return QByteArrayView(text, 29);
}

void ResponseEncoder::appendHead(QByteArray &out, int status, const HttpHeaders &headers,
                                 qint64 contentLength, Persistence persistence)
{
    out.append("HTTP/1.1 ");
    appendNumber(out, std::clamp(status, 100, 999));
    out.append(' ');
    out.append(reasonPhrase(status));
    out.append("\r\nServer: Quarry\r\nDate: ");
    out.append(httpDate());
    out.append("\r\n");
    for (const HttpHeader &header : headers) {
        if (!isHandlerHeader(header))
            continue;
        out.append(header.name);
        out.append(": ");
        out.append(header.value);
        out.append("\r\n");
    }
    if (contentLength == kChunked) {
        out.append("Transfer-Encoding: chunked\r\n");
    } else if (!statusHasNoBody(status)) {
        out.append("Content-Length: ");
        appendNumber(out, contentLength);
        out.append("\r\n");
    }
    if (persistence == Persistence::Close)
        out.append("Connection: close\r\n");
    else if (persistence == Persistence::KeepAlive)
        out.append("Connection: keep-alive\r\n");
    out.append("\r\n");
}

void ResponseEncoder::appendChunk(QByteArray &out, QByteArrayView data)
{
    if (data.isEmpty())
        return; // a zero-size chunk would end the stream
    appendNumber(out, data.size(), 16);
    out.append("\r\n");
    out.append(data);
    out.append("\r\n");
}

QByteArray ResponseEncoder::errorBody(const QString &message, QLatin1String type, QLatin1String code)
{
    const QJsonObject error{{u"message"_s, message}, {u"type"_s, type}, {u"code"_s, code}};
    return QJsonDocument(QJsonObject{{u"error"_s, error}}).toJson(QJsonDocument::Compact);
}

} // namespace quarry::http
