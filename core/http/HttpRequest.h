// One parsed HTTP/1.1 request from a local client, as the handlers see it.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>

class QAbstractSocket;

namespace quarry::http {

struct HttpHeader
{
    QByteArray name;
    QByteArray value;
};
using HttpHeaders = QList<HttpHeader>;

// The value of the first header called `name` (case-insensitive), or an empty array.
QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name);

// Who sent a request. One per connection, so the text is made once, not for each request.
struct Peer
{
    QHostAddress address;
    quint16 port = 0;
    QString text; // "127.0.0.1:54012", as records and logs show it

    static Peer of(const QAbstractSocket &socket);
};

struct HttpRequest
{
    QByteArray method;  // "POST"
    QByteArray target;  // the raw request-target, e.g. "/bedrock/v1/chat/completions?x=1"
    QByteArray path;    // target without the query, still percent-encoded
    QByteArray query;   // after '?', without it
    HttpHeaders headers; // in arrival order, names as the client sent them
    QByteArray body;    // de-chunked
    Peer peer;

    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
};

} // namespace quarry::http
