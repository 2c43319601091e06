// Formatting of traffic records for the serve log.
#include "telemetry/TrafficRecord.h"

#include "telemetry/HeaderRedaction.h"
#include "telemetry/UsdText.h"
#include "util/EscapeControl.h"

#include <charconv>
#include <iterator>

using namespace Qt::StringLiterals;

namespace quarry::telemetry {

void CapturedMessage::setShownHeaders(const Headers &headers)
{
    HeaderBlock block;
    for (const auto &[name, value] : headers)
        block.append(name.toLatin1(), value.toUtf8());
    m_headers = std::move(block);
}

CapturedMessage::Headers CapturedMessage::headers() const
{
    return displayableHeaders(m_headers.pairs());
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

// "2026-12-02T06:13:09.510Z", as Qt::ISODateWithMs writes it, written digit by digit: toString()
// goes through the locale and calendar machinery, and snprintf() was a quarter of a log line.
void appendIsoUtcWithMs(QString &out, const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    const QDate date = utc.date();
    const QTime clock = utc.time();
    char text[] = "0000-00-00T00:00:00.000Z";
    const auto put = [&text](int at, int digits, int value) {
        for (int i = at + digits - 1; i >= at; --i, value /= 10)
            text[i] = char('0' + value % 10);
    };
    put(0, 4, qBound(0, date.year(), 9999));
    put(5, 2, date.month());
    put(8, 2, date.day());
    put(11, 2, clock.hour());
    put(14, 2, clock.minute());
    put(17, 2, clock.second());
    put(20, 3, clock.msec());
    out += QLatin1StringView(text, qsizetype(sizeof text) - 1);
}

void appendNumber(QString &out, qint64 value)
{
    char digits[24];
    const auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
    out += QLatin1StringView(digits, end - digits);
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
    return held(body) + held(startLine) + m_headers.memoryBytes();
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
    QString line;
    line.reserve(128 + path.size() + route.size() + backend.size() + model.size() + error.size());
    const auto plain = [&line](QLatin1StringView key, const QString &text) {
        if (text.isEmpty())
            return;
        line += key;
        util::appendEscapedControl(line, text);
    };
    const auto quoted = [&line](QLatin1StringView key, const QString &text) {
        if (text.isEmpty())
            return;
        QString escaped = util::escapeControl(text);
        escaped.replace(u'"', u"\\\""_s);
        line += key % u'"' % escaped % u'"';
    };
    appendIsoUtcWithMs(line, started);
    line += u' ';
    util::appendEscapedControl(line, method);
    line += u' ';
    util::appendEscapedControl(line, path);
    line += u' ';
    appendNumber(line, status);
    plain(" route="_L1, route);
    plain(" backend="_L1, backend);
    plain(" provider="_L1, provider);
    plain(" model="_L1, model);
    line += " latency="_L1;
    appendNumber(line, latencyMs);
    line += "ms"_L1;
    if (streamed && timeToFirstTokenMs >= 0) {
        line += " ttft="_L1;
        appendNumber(line, timeToFirstTokenMs);
        line += "ms"_L1;
    }
    if (tokens.input || tokens.output) {
        line += " tokens="_L1;
        appendNumber(line, tokens.input);
        line += u'/';
        appendNumber(line, tokens.output);
    }
    if (tokens.present)
        line += " cost="_L1 % usdText(costUsd);
    plain(" stop="_L1, stopReason);
    quoted(" simulated credentials="_L1, simulatorCredentials);
    quoted(" error="_L1, error);
    return line;
}

} // namespace quarry::telemetry
