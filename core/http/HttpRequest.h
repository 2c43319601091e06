// One parsed HTTP/1.1 request from a local client, as the handlers see it.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>

namespace quarry::http {

struct HttpHeader
{
    QByteArray name;
    QByteArray value;
};
using HttpHeaders = QList<HttpHeader>;

// The value of the first header called `name` (case-insensitive), or an empty array.
QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name);

struct HttpRequest
{
    QByteArray method;  // "POST"
    QByteArray target;  // the raw request-target, e.g. "/bedrock/v1/chat/completions?x=1"
    QByteArray path;    // target without the query, still percent-encoded
    QByteArray query;   // after '?', without it
    HttpHeaders headers; // in arrival order, names as the client sent them
    QByteArray body;    // de-chunked
    QHostAddress peerAddress;
    quint16 peerPort = 0;

    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
};

} // namespace quarry::http
