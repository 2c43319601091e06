// Formatting of traffic records for the serve log.
#include "telemetry/TrafficRecord.h"

using namespace Qt::StringLiterals;

namespace quarry::telemetry {

void CapturedMessage::setBody(const QByteArray &bytes)
{
    body.clear();
    truncated = false;
    appendBody(bytes);
}

void CapturedMessage::appendBody(const QByteArray &bytes)
{
    const qsizetype room = MaxBody - body.size();
    if (bytes.size() > room) {
        body += bytes.left(room);
        truncated = true;
    } else {
        body += bytes;
    }
}

QString TrafficRecord::toLogLine() const
{
    QString line = started.toUTC().toString(Qt::ISODateWithMs) % u' ' % method % u' ' % path % u' '
                   % QString::number(status);
    if (!route.isEmpty())
        line += u" route="_s % route;
    if (!backend.isEmpty())
        line += u" backend="_s % backend;
    if (!provider.isEmpty())
        line += u" provider="_s % provider;
    if (!model.isEmpty())
        line += u" model="_s % model;
    line += u" latency="_s % QString::number(latencyMs) % u"ms"_s;
    if (streamed && timeToFirstTokenMs >= 0)
        line += u" ttft="_s % QString::number(timeToFirstTokenMs) % u"ms"_s;
    if (tokens.input || tokens.output)
        line += u" tokens="_s % QString::number(tokens.input) % u'/' % QString::number(tokens.output);
    if (!stopReason.isEmpty())
        line += u" stop="_s % stopReason;
    if (!error.isEmpty())
        line += u" error=\""_s % error % u'"';
    return line;
}

} // namespace quarry::telemetry
