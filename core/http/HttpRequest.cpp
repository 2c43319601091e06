// Header lookup for parsed requests (names compare case-insensitively, as HTTP requires), and the peer.
#include "http/HttpRequest.h"

#include <QAbstractSocket>

namespace quarry::http {

Peer Peer::of(const QAbstractSocket &socket)
{
    Peer peer{socket.peerAddress(), socket.peerPort(), {}};
    peer.text = peer.address.toString() + u':' + QString::number(peer.port);
    return peer;
}

QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name)
{
    for (const HttpHeader &header : headers) {
        if (header.name.size() == name.size() &&
            QByteArrayView(header.name).compare(name, Qt::CaseInsensitive) == 0)
            return header.value;
    }
    return {};
}

} // namespace quarry::http
