// `quarry history`: the requests the gateway handled (window or serve), from history.sqlite, and
// `quarry history stats --by model|route|day` with totals of requests, tokens and cost.
#include "Commands.h"
#include "CliSupport.h"
#include "ResourceTable.h"

#include "config/Resources.h"
#include "telemetry/HistoryDatabase.h"
#include "telemetry/HistoryReader.h"
#include "telemetry/UsdText.h"
#include "util/EscapeControl.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::cli {

namespace {

// New rows are looked for this often with -f: quick enough to feel live, cheap for the file.
constexpr int FollowIntervalMs = 500;
constexpr int FollowBatch = 1000;

enum class Format { Table, Json, Csv };

void print(const QString &text)
{
    QTextStream out(stdout);
    out << text;
    out.flush();
}

QString shortName(const QString &name)
{
    const QString prefix = config::kDefaultNamespace + u'/';
    return name.startsWith(prefix) ? name.mid(prefix.size()) : name;
}

// As the log and the window write it: one request often costs well under a hundredth of a cent.
QString costText(double cost, bool priced)
{
    return priced ? telemetry::usdText(cost) : u"-"_s;
}

QStringList tableRow(const telemetry::HistoryEntry &entry)
{
    const telemetry::TrafficRecord &r = entry.record;
    const auto millis = [](qint64 ms) { return ms < 0 ? u"-"_s : QString::number(ms) + u"ms"_s; };
    // Client text (path, model, route names) is escaped: nothing reaches the terminal as a control.
    return {r.started.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s),
            QString::number(r.id),
            util::escapeControl(r.route.isEmpty() ? r.path : shortName(r.route)),
            util::escapeControl(r.model.isEmpty() ? u"-"_s : r.model),
            QString::number(r.status),
            millis(r.latencyMs),
            r.streamed ? millis(r.timeToFirstTokenMs) : u"-"_s,
            QString::number(r.tokens.promptTotal()),
            QString::number(r.tokens.output),
            costText(r.costUsd, r.costUsd >= 0)};
}

const QStringList TableHeaders{u"TIME"_s, u"ID"_s, u"ROUTE"_s, u"MODEL"_s, u"STATUS"_s, u"LATENCY"_s, u"TTFT"_s,
                               u"IN"_s, u"OUT"_s, u"COST"_s};

QJsonObject jsonOf(const telemetry::HistoryEntry &entry)
{
    const QStringList names = telemetry::historyFieldNames();
    const QVariantList values = telemetry::historyFieldValues(entry);
    QJsonObject object;
    for (qsizetype i = 0; i < names.size(); ++i)
        object.insert(names.at(i), QJsonValue::fromVariant(values.at(i)));
    return object;
}

// Oldest first, as a log reads. `first` prints what comes before any row (headers, "[").
QString render(const QList<telemetry::HistoryEntry> &entries, Format format, bool first, bool follow)
{
    switch (format) {
    case Format::Table: {
        ResourceTable table;
        for (const auto &entry : entries)
            table.addRow(tableRow(entry));
        return table.render(first ? TableHeaders : QStringList());
    }
    case Format::Csv: {
        QString out = first ? telemetry::csvLine(telemetry::historyFieldNames()) + u'\n' : QString();
        for (const auto &entry : entries)
            out += telemetry::csvLine(telemetry::historyFieldValues(entry)) + u'\n';
        return out;
    }
    case Format::Json:
        if (follow) { // one object a line, so a reader can act on each as it comes
            QString out;
            for (const auto &entry : entries)
                out += QString::fromUtf8(QJsonDocument(jsonOf(entry)).toJson(QJsonDocument::Compact)) + u'\n';
            return out;
        }
        QJsonArray array;
        for (const auto &entry : entries)
            array.append(jsonOf(entry));
        return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented));
    }
    return {};
}

std::optional<Format> formatOf(const QString &name)
{
    if (name == u"table"_s)
        return Format::Table;
    if (name == u"json"_s)
        return Format::Json;
    if (name == u"csv"_s)
        return Format::Csv;
    return std::nullopt;
}

Result<telemetry::HistoryQuery> queryOf(const QCommandLineParser &parser)
{
    telemetry::HistoryQuery query;
    if (parser.isSet(u"since"_s)) {
        const auto since = telemetry::parseSince(parser.value(u"since"_s));
        if (!since)
            return Error{since.error()};
        query.since = *since;
    }
    // A route is "namespace/name"; a bare name is in the default namespace, as `quarry get` reads it.
    query.route = parser.value(u"route"_s);
    if (!query.route.isEmpty() && !query.route.contains(u'/'))
        query.route = config::kDefaultNamespace + u'/' + query.route;
    query.model = parser.value(u"model"_s);
    query.status = parser.value(u"status"_s);
    if (!query.status.isEmpty()) {
        if (const auto status = telemetry::statusCondition(query.status); !status)
            return Error{status.error()};
    }
    query.text = parser.value(u"search"_s);
    if (parser.isSet(u"limit"_s)) {
        bool ok = false;
        query.limit = parser.value(u"limit"_s).toInt(&ok);
        if (!ok || query.limit < 1)
            return Error{u"--limit takes a positive number, not '%1'"_s.arg(parser.value(u"limit"_s))};
    }
    return query;
}

int follow(QCoreApplication &app, telemetry::HistoryReader &reader, telemetry::HistoryQuery query, Format format,
           qint64 lastRow)
{
    int exitCode = 0;
    QTimer poll;
    poll.setInterval(FollowIntervalMs);
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        query.beforeRow = 0;
        query.afterRow = qMax<qint64>(lastRow, 0);
        query.limit = FollowBatch;
        const auto entries = reader.entries(query);
        if (!entries) {
            exitCode = fail(entries.error());
            app.exit(exitCode);
            return;
        }
        if (entries->isEmpty())
            return;
        lastRow = entries->last().row;
        print(render(*entries, format, false, true));
    });
    quitOnSignals(app);
    poll.start();
    const int loop = app.exec();
    return exitCode ? exitCode : loop;
}

int listRequests(QCoreApplication &app, const QCommandLineParser &parser, Format format)
{
    const auto query = queryOf(parser);
    if (!query)
        return fail(query.error());
    telemetry::HistoryReader reader(telemetry::historyPath(dataDir(parser)));
    auto entries = reader.entries(*query);
    if (!entries)
        return fail(entries.error());
    std::reverse(entries->begin(), entries->end());
    const bool following = parser.isSet(u"follow"_s);
    if (entries->isEmpty() && format == Format::Table && !following)
        warn(u"No requests in history (%1)."_s.arg(reader.path()));
    else
        print(render(*entries, format, true, following));
    if (!following)
        return 0;
    // Rows before the newest shown were already there: follow from it (or from now, when none).
    qint64 lastRow = entries->isEmpty() ? -1 : entries->last().row;
    if (lastRow < 0) {
        telemetry::HistoryQuery newest;
        newest.limit = 1;
        const auto latest = reader.entries(newest);
        lastRow = latest && !latest->isEmpty() ? latest->first().row : 0;
    }
    return follow(app, reader, *query, format, lastRow);
}

int printTotals(const QCommandLineParser &parser, Format format)
{
    const QString by = parser.value(u"by"_s);
    const auto group = by == u"model"_s   ? telemetry::HistoryReader::GroupBy::Model
                       : by == u"route"_s ? telemetry::HistoryReader::GroupBy::Route
                       : by == u"day"_s   ? telemetry::HistoryReader::GroupBy::Day
                                          : std::optional<telemetry::HistoryReader::GroupBy>();
    if (!group)
        return fail(u"--by takes model, route or day, not '%1'"_s.arg(by));
    const auto query = queryOf(parser);
    if (!query)
        return fail(query.error());
    telemetry::HistoryReader reader(telemetry::historyPath(dataDir(parser)));
    const auto totals = reader.totals(*group, *query);
    if (!totals)
        return fail(totals.error());

    telemetry::HistoryTotals all;
    all.key = u"TOTAL"_s;
    for (const auto &row : *totals) {
        all.requests += row.requests;
        all.tokensIn += row.tokensIn;
        all.tokensOut += row.tokensOut;
        all.cacheRead += row.cacheRead;
        all.cacheWrite += row.cacheWrite;
        all.costUsd += row.costUsd;
        all.pricedRequests += row.pricedRequests;
    }
    const QStringList names{by, u"requests"_s, u"tokensIn"_s, u"tokensOut"_s, u"cacheReadTokens"_s,
                            u"cacheWriteTokens"_s, u"costUsd"_s, u"unpricedRequests"_s};
    const auto values = [&](const telemetry::HistoryTotals &row) -> QVariantList {
        return {row.key, row.requests, row.tokensIn, row.tokensOut, row.cacheRead, row.cacheWrite,
                row.pricedRequests ? QVariant(row.costUsd) : QVariant(), row.requests - row.pricedRequests};
    };
    switch (format) {
    case Format::Table: {
        ResourceTable table;
        for (const auto &row : *totals + QList{all}) {
            table.addRow({util::escapeControl(row.key.isEmpty() ? u"(none)"_s : shortName(row.key)),
                          QString::number(row.requests), QString::number(row.tokensIn),
                          QString::number(row.tokensOut), QString::number(row.cacheRead),
                          QString::number(row.cacheWrite), costText(row.costUsd, row.pricedRequests > 0)});
        }
        print(table.render({by.toUpper(), u"REQUESTS"_s, u"TOKENS IN"_s, u"TOKENS OUT"_s, u"CACHE READ"_s,
                            u"CACHE WRITE"_s, u"COST"_s}));
        break;
    }
    case Format::Csv: {
        QString out = telemetry::csvLine(names) + u'\n';
        for (const auto &row : *totals)
            out += telemetry::csvLine(values(row)) + u'\n';
        print(out);
        break;
    }
    case Format::Json: {
        const auto objectOf = [&](const telemetry::HistoryTotals &row) {
            QJsonObject object;
            const QVariantList rowValues = values(row);
            for (qsizetype i = 0; i < names.size(); ++i)
                object.insert(names.at(i), QJsonValue::fromVariant(rowValues.at(i)));
            return object;
        };
        QJsonArray rows;
        for (const auto &row : *totals)
            rows.append(objectOf(row));
        QJsonObject total = objectOf(all);
        total.remove(by);
        print(QString::fromUtf8(QJsonDocument(QJsonObject{{u"by"_s, by}, {u"rows"_s, rows}, {u"total"_s, total}})
                                    .toJson(QJsonDocument::Indented)));
        break;
    }
    }
    return 0;
}

} // namespace

int runHistory(QCoreApplication &app, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"The requests the gateway handled (the window or `quarry serve`), newest last.\n"
        "  quarry history [filters] [-o table|json|csv] [-f]\n"
        "  quarry history stats --by model|route|day [filters] [-o table|json|csv]"_s);
    addDataDirOption(parser);
    parser.addOption({u"since"_s, u"Only requests since a time: 30m, 1h, 2d, or an ISO date (2026-12-01T09:00)."_s,
                      u"when"_s});
    parser.addOption({u"route"_s, u"Only this HTTPRoute (NAME or NAMESPACE/NAME)."_s, u"route"_s});
    parser.addOption({u"model"_s, u"Only this model id."_s, u"model"_s});
    parser.addOption({u"status"_s, u"Only this status: 200, 4xx, 5xx, ok or failed."_s, u"status"_s});
    parser.addOption({u"search"_s, u"Only requests whose client, path, route, backend, model or error contains TEXT."_s,
                      u"text"_s});
    parser.addOption({{u"o"_s, u"output"_s}, u"Output format: table (default), json or csv."_s, u"format"_s,
                      u"table"_s});
    parser.addOption({{u"f"_s, u"follow"_s}, u"Keep printing new requests as they are recorded (Ctrl+C stops)."_s});
    parser.addOption({u"limit"_s, u"At most N requests, the most recent (default 100)."_s, u"n"_s});
    parser.addOption({u"by"_s, u"stats: group by model, route or day."_s, u"key"_s});
    parser.addPositionalArgument(u"stats"_s, u"Totals of requests, tokens and cost instead of requests."_s,
                                 u"[stats]"_s);
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    const auto format = formatOf(parser.value(u"output"_s));
    if (!format)
        return fail(u"-o takes table, json or csv, not '%1'"_s.arg(parser.value(u"output"_s)));
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        if (parser.isSet(u"by"_s))
            return fail(u"--by goes with `quarry history stats`"_s);
        return listRequests(app, parser, *format);
    }
    if (positional.size() > 1 || positional.first() != u"stats"_s)
        return fail(u"unexpected argument '%1' (quarry history [stats])"_s.arg(positional.join(u' ')));
    if (!parser.isSet(u"by"_s))
        return fail(u"history stats needs --by model, route or day"_s);
    if (parser.isSet(u"follow"_s))
        return fail(u"-f goes with `quarry history`, not stats"_s);
    return printTotals(parser, *format);
}

} // namespace quarry::cli
