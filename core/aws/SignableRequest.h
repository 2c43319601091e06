// SignableRequest: the parts of an HTTP request that SigV4 signs, as bytes on the wire.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace quarry::aws {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct SignableRequest
{
    QByteArray method; // "POST"
    // As sent on the wire, already percent-encoded once, e.g.
    // "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse".
    QByteArray path;
    QByteArray query;   // raw query string without '?', may be empty
    HeaderList headers; // must include "host"; every header given is signed
    QByteArray body;
};

} // namespace quarry::aws
