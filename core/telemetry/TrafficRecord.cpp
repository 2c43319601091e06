// Formatting of traffic records for the serve log.
#include "telemetry/TrafficRecord.h"

#include "telemetry/HeaderRedaction.h"
#include "telemetry/UsdText.h"
#include "util/EscapeControl.h"

#include <cstdio>

using namespace Qt::StringLiterals;

namespace quarry::telemetry {

void CapturedMessage::setWireHeaders(const WireHeaders &headers)
{
    m_shownHeaders.clear();
    m_wireHeaders = headers;
    for (auto &[name, value] : m_wireHeaders)
        value = redactedHeaderValue(name, value);
}

void CapturedMessage::setShownHeaders(Headers headers)
{
    m_wireHeaders.clear();
    m_shownHeaders = std::move(headers);
}

CapturedMessage::Headers CapturedMessage::headers() const
{
    // Redacting again changes nothing ("<redacted>" stays so); the text is made in one place.
    return m_wireHeaders.isEmpty() ? m_shownHeaders : displayableHeaders(m_wireHeaders);
}

CapturedMessage::WireHeaders CapturedMessage::headerBytes() const
{
    if (!m_wireHeaders.isEmpty() || m_shownHeaders.isEmpty())
        return m_wireHeaders;
    WireHeaders bytes;
    bytes.reserve(m_shownHeaders.size());
    for (const auto &[name, value] : m_shownHeaders)
        bytes.append({name.toLatin1(), value.toUtf8()});
    return bytes;
}

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

namespace {

// "2026-12-02T06:13:09.510Z", as Qt::ISODateWithMs writes it, formatted by hand: toString() goes
// through the locale and calendar machinery, which was half the cost of a log line.
QString isoUtcWithMs(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    const QDate date = utc.date();
    const QTime clock = utc.time();
    char text[40];
    const int length = std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", date.year(),
                                     date.month(), date.day(), clock.hour(), clock.minute(), clock.second(),
                                     clock.msec());
    return QString::fromLatin1(text, length);
}

// Allocated size, or the length for static data (literals), which has no capacity.
template<typename Text>
qsizetype held(const Text &text)
{
    return qMax(text.size(), text.capacity()) * qsizetype(sizeof(typename Text::value_type));
}

} // namespace

qsizetype CapturedMessage::memoryBytes() const
{
    qsizetype bytes = held(body) + held(startLine);
    for (const auto &[name, value] : m_wireHeaders)
        bytes += held(name) + held(value);
    for (const auto &[name, value] : m_shownHeaders)
        bytes += held(name) + held(value);
    return bytes;
}

void CapturedMessage::squeeze()
{
    if (body.capacity() > body.size()) // otherwise squeezing a shared body would only copy it
        body.squeeze();
}

qsizetype TrafficRecord::captureBytes() const
{
    return clientRequest.memoryBytes() + clientResponse.memoryBytes() + upstreamRequest.memoryBytes()
           + upstreamResponse.memoryBytes();
}

void TrafficRecord::dropCaptures()
{
    // Assigning empty messages releases the buffers (clear() would keep their capacity).
    clientRequest = {};
    clientResponse = {};
    upstreamRequest = {};
    upstreamResponse = {};
    capturesDropped = true;
}

// Every field may carry client text (path, model id, error messages that quote the request):
// escaped, so one record is one line and nothing reaches the terminal as a control sequence.
// Quoted values also escape '"', so they cannot end early and forge a key=value.
QString TrafficRecord::toLogLine() const
{
    const auto plain = [](const QString &text) { return util::escapeControl(text); };
    const auto quoted = [](const QString &text) -> QString {
        QString escaped = util::escapeControl(text);
        escaped.replace(u'"', u"\\\""_s);
        return u'"' % escaped % u'"';
    };
    QString line = isoUtcWithMs(started) % u' ' % plain(method) % u' ' % plain(path) %
                   u' ' % QString::number(status);
    if (!route.isEmpty())
        line += u" route="_s % plain(route);
    if (!backend.isEmpty())
        line += u" backend="_s % plain(backend);
    if (!provider.isEmpty())
        line += u" provider="_s % plain(provider);
    if (!model.isEmpty())
        line += u" model="_s % plain(model);
    line += u" latency="_s % QString::number(latencyMs) % u"ms"_s;
    if (streamed && timeToFirstTokenMs >= 0)
        line += u" ttft="_s % QString::number(timeToFirstTokenMs) % u"ms"_s;
    if (tokens.input || tokens.output)
        line += u" tokens="_s % QString::number(tokens.input) % u'/' % QString::number(tokens.output);
    if (tokens.present)
        line += u" cost="_s % usdText(costUsd);
    if (!stopReason.isEmpty())
        line += u" stop="_s % plain(stopReason);
    if (!simulatorCredentials.isEmpty())
        line += u" simulated credentials="_s % quoted(simulatorCredentials);
    if (!error.isEmpty())
        line += u" error="_s % quoted(error);
    return line;
}

} // namespace quarry::telemetry
