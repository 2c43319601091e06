// Parsing of history filters, the exported field list, and the error type of a record.
#include "telemetry/HistoryQuery.h"

#include "util/EscapeControl.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace quarry::telemetry {

Result<QString> statusCondition(const QString &status)
{
    const QString word = status.trimmed().toLower();
    if (word == u"ok"_s)
        return u"(status BETWEEN 200 AND 399 AND error = '')"_s;
    if (word == u"failed"_s)
        return u"(status >= 400 OR status = 0 OR error <> '')"_s;
    static const QRegularExpression code(u"^([1-5])(\\d\\d|xx)$"_s);
    const auto match = code.match(word);
    if (!match.hasMatch())
        return Result<QString>::failure(
            u"--status takes a code (200), a class (2xx, 4xx, 5xx), ok or failed, not '%1'"_s.arg(status));
    if (match.captured(2) == u"xx"_s) {
        const int low = match.captured(1).toInt() * 100;
        // 5xx also holds the codes above 599 some upstreams invent.
        return low == 500 ? u"(status >= 500)"_s : u"(status BETWEEN %1 AND %2)"_s.arg(low).arg(low + 99);
    }
    return u"(status = %1)"_s.arg(word.toInt());
}

Result<QDateTime> parseSince(const QString &text, const QDateTime &now)
{
    static const QRegularExpression duration(u"^(\\d+)([smhd])$"_s);
    if (const auto match = duration.match(text.trimmed()); match.hasMatch()) {
        const qint64 amount = match.captured(1).toLongLong();
        const qint64 unit = QStringView(u"smhd").indexOf(match.captured(2).at(0));
        static const qint64 seconds[] = {1, 60, 3600, 86400};
        return now.addSecs(-amount * seconds[unit]);
    }
    QDateTime when = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!when.isValid())
        when = QDate::fromString(text.trimmed(), Qt::ISODate).startOfDay();
    if (!when.isValid())
        return Result<QDateTime>::failure(
            u"--since takes a duration (30m, 1h, 2d) or an ISO date (2026-12-01, 2026-12-01T09:00), not '%1'"_s
                .arg(text));
    return when;
}

QStringList historyFieldNames()
{
    return {u"time"_s,        u"requestId"_s,  u"client"_s,       u"method"_s,       u"path"_s,
            u"route"_s,       u"backend"_s,    u"provider"_s,     u"api"_s,          u"model"_s,
            u"status"_s,      u"errorType"_s,  u"error"_s,        u"stopReason"_s,   u"streamed"_s,
            u"latencyMs"_s,   u"ttftMs"_s,     u"tokensIn"_s,     u"tokensOut"_s,    u"cacheReadTokens"_s,
            u"cacheWriteTokens"_s, u"costUsd"_s};
}

QVariantList historyFieldValues(const HistoryEntry &entry)
{
    const TrafficRecord &r = entry.record;
    return {r.started.toUTC().toString(Qt::ISODateWithMs),
            r.id, r.client, r.method, r.path, r.route, r.backend, r.provider, r.api, r.model, r.status,
            entry.errorType, r.error, r.stopReason, r.streamed, r.latencyMs,
            r.timeToFirstTokenMs < 0 ? QVariant() : QVariant(r.timeToFirstTokenMs),
            r.tokens.input, r.tokens.output, r.tokens.cacheRead, r.tokens.cacheWrite,
            r.costUsd < 0 ? QVariant() : QVariant(r.costUsd)};
}

QString csvLine(const QVariantList &values)
{
    QStringList fields;
    fields.reserve(values.size());
    for (const QVariant &value : values) {
        if (value.isNull())
            fields.append(QString());
        else if (value.typeId() == QMetaType::Bool)
            fields.append(value.toBool() ? u"true"_s : u"false"_s);
        else
            fields.append(value.toString());
    }
    return csvLine(fields);
}

QString csvLine(const QStringList &values)
{
    QStringList fields;
    fields.reserve(values.size());
    for (const QString &value : values) {
        QString field = util::escapeControl(value);
        // Paths, models and client names are whatever a client sent: a cell a spreadsheet would
        // run as a formula (=, +, -, @ first; OWASP's "CSV Injection") is opened with an
        // apostrophe, which spreadsheets show as text. No numeric field here is negative.
        if (!field.isEmpty() && u"=+-@"_s.contains(field.front()))
            field.prepend(u'\'');
        if (field.contains(u',') || field.contains(u'"')) {
            field.replace(u'"', u"\"\""_s);
            field = u'"' + field + u'"';
        }
        fields.append(field);
    }
    return fields.join(u',');
}

QString errorTypeOf(const TrafficRecord &record)
{
    if (record.status < 400 && record.error.isEmpty())
        return {};
    for (const auto &[name, value] : record.clientResponse.headers()) {
        if (name.compare(u"x-amzn-errortype"_s, Qt::CaseInsensitive) == 0)
            return value.section(u':', 0, 0); // "ThrottlingException:http://internal.amazon.com/..."
    }
    // OpenAI: {"error": {"type": ...}}; Anthropic: {"type": "error", "error": {"type": ...}}.
    const QJsonObject body = QJsonDocument::fromJson(record.clientResponse.body).object();
    const QString type = body.value(u"error"_s).toObject().value(u"type"_s).toString();
    return type;
}

} // namespace quarry::telemetry
