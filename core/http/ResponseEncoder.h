// Serialises response heads, chunk framing and the server's own JSON error bodies.
#pragma once

#include "http/HttpRequest.h"

#include <QByteArray>
#include <QLatin1String>
#include <QString>

namespace quarry::http {

class ResponseEncoder
{
public:
    static constexpr qint64 kChunked = -1;

    // "OK", "Not Found", ...; empty for unknown codes (the status line then ends in a space).
    static QByteArrayView reasonPhrase(int status);

    // RFC 9110 IMF-fixdate for now, e.g. "Sun, 06 Nov 1994 08:49:37 GMT"; cached per second.
    static QByteArrayView httpDate();

    // What the Connection header says: nothing (HTTP/1.1 default), close, or keep-alive (which
    // HTTP/1.0 clients need to hear before they reuse the connection).
    enum class Persistence { Default, Close, KeepAlive };

    // Status line and headers, ending with the blank line. contentLength kChunked adds
    // Transfer-Encoding: chunked. Framing and hop-by-hop headers from `headers` are dropped
    // (the connection owns them), as are headers whose value would break the framing.
    static void appendHead(QByteArray &out, int status, const HttpHeaders &headers, qint64 contentLength,
                           Persistence persistence);

    // One chunk of a chunked body ("<hex size>\r\n<data>\r\n"); empty data is not written.
    static void appendChunk(QByteArray &out, QByteArrayView data);
    static QByteArrayView lastChunk() { return "0\r\n\r\n"; }

    // The OpenAI error shape: {"error":{"message":...,"type":...,"code":...}}.
    static QByteArray errorBody(const QString &message, QLatin1String type, QLatin1String code);

    // A header a handler may send: not one the connection writes itself (framing, Connection,
    // Date, Server) and nothing that would break the framing (CR, LF, NUL, a ':' in the name).
    // HTTP/1.1 and HTTP/2 answers both drop the others.
    static bool isHandlerHeader(const HttpHeader &header);

    // Statuses whose responses never carry a body (1xx, 204, 304).
    static bool statusHasNoBody(int status)
    {
        return (status >= 100 && status < 200) || status == 204 || status == 304;
    }
};

} // namespace quarry::http
