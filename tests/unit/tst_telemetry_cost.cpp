// Pricing and budgets: the cost of known requests from the shipped table (checked by hand against
// the published prices), inference-profile ids, the user's pricing.json, and the spend tracker's
// days, months and warnings.
#include "telemetry/PriceTable.h"
#include "telemetry/SpendTracker.h"
#include "telemetry/TrafficRecord.h"

#include "TestSupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace quarry;
using telemetry::Budget;

namespace {

TokenUsage usage(qint64 input, qint64 output, qint64 cacheRead = 0, qint64 cacheWrite = 0)
{
    TokenUsage tokens;
    tokens.input = input;
    tokens.output = output;
    tokens.cacheRead = cacheRead;
    tokens.cacheWrite = cacheWrite;
    tokens.present = true;
    return tokens;
}

QDateTime localAt(int year, int month, int day, int hour, int minute)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute), Qt::LocalTime);
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

} // namespace

class TestTelemetryCost : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The log line's time is written by hand (for speed); Qt's ISO 8601 writer is the reference,
    // for a UTC time, a local time with an offset and the first millisecond of a year.
    void logLineStartsWithTheUtcTimeInIsoForm()
    {
        for (const QDateTime &started : {QDateTime(QDate(2026, 12, 2), QTime(6, 13, 9, 510), QTimeZone::utc()),
                                         QDateTime(QDate(2026, 3, 29), QTime(1, 30, 0, 7), QTimeZone(5 * 3600 + 1800)),
                                         QDateTime(QDate(2027, 1, 1), QTime(0, 0, 0, 0), QTimeZone::utc())}) {
            telemetry::TrafficRecord record;
            record.started = started;
            record.method = u"POST"_s;
            record.path = u"/bedrock/v1/chat/completions"_s;
            record.status = 200;
            const QString line = record.toLogLine();
            QCOMPARE(line.section(u' ', 0, 0), started.toUTC().toString(Qt::ISODateWithMs));
            QVERIFY2(line.startsWith(started.toUTC().toString(Qt::ISODateWithMs) + u" POST /bedrock"_s), qPrintable(line));
        }
    }

    // Every field of the serve log's line, in its order, with a negative number and a quoted value.
    void logLineHasEveryFieldInOrder()
    {
        telemetry::TrafficRecord record;
        record.started = QDateTime(QDate(2026, 12, 2), QTime(6, 13, 9, 510), QTimeZone::utc());
        record.method = u"POST"_s;
        record.path = u"/bedrock/v1/chat/completions"_s;
        record.status = 200;
        record.route = u"ns/r"_s;
        record.backend = u"ns/b"_s;
        record.provider = u"east"_s;
        record.model = u"m"_s;
        record.latencyMs = 12;
        record.streamed = true;
        record.timeToFirstTokenMs = 3;
        record.tokens.present = true;
        record.tokens.input = 5;
        record.tokens.output = 7;
        record.costUsd = 0.5;
        record.stopReason = u"end_turn"_s;
        record.simulatorCredentials = u"env"_s;
        QCOMPARE(record.toLogLine(), u"2026-12-02T06:13:09.510Z POST /bedrock/v1/chat/completions 200 route=ns/r "
                                     "backend=ns/b provider=east model=m latency=12ms ttft=3ms tokens=5/7 "
                                     "cost=$0.5 stop=end_turn simulated credentials=\"env\""_s);
        record.latencyMs = -1; // a clock that went back
        record.error = u"a \"b\""_s;
        QVERIFY2(record.toLogLine().contains(u" latency=-1ms "_s), qPrintable(record.toLogLine()));
        QVERIFY2(record.toLogLine().endsWith(u" error=\"a \\\"b\\\"\""_s), qPrintable(record.toLogLine()));
    }

    void shippedTableHasItsSourceAndDate()
    {
        const auto table = telemetry::PriceTable::shipped();
        QVERIFY(table.size() >= 10);
        QCOMPARE(table.source(), u"https://aws.amazon.com/bedrock/pricing/"_s);
        QVERIFY(QDate::fromString(table.readOn(), Qt::ISODate).isValid());
    }

    void costOfAClaudeRequestWithThePromptCache()
    {
        // Claude 3.7 Sonnet, per million tokens: input $3, output $15, cache hits $0.30, 5-minute cache
        // writes $3.75 (https://platform.claude.com/docs/en/docs/about-claude/pricing, read 2026-12-01),
        // called through the us. cross-region profile from us-east-1, which AWS prices as the source
        // Region (https://aws.amazon.com/bedrock/pricing/).
        // 1,200 in x $3/M = $0.0036; 350 out x $15/M = $0.00525; 2,000 cache read x $0.30/M = $0.0006;
        // 500 cache write x $3.75/M = $0.001875. Total $0.011325.
        const auto table = telemetry::PriceTable::shipped();
        const double cost = table.costOf(u"us.anthropic.claude-3-7-sonnet-20250219-v1:0"_s, u"us-east-1"_s,
                                         usage(1200, 350, 2000, 500));
        QVERIFY2(qAbs(cost - 0.011325) < 1e-12, qPrintable(QString::number(cost, 'g', 17)));
    }

    void costOfANovaMicroRequest()
    {
        // Amazon Nova Micro: $0.000035 per 1,000 input tokens, $0.00014 per 1,000 output tokens
        // (the Bedrock pricing page as quoted by techdailyfeed.com, resources/pricing/bedrock.json).
        // 10,000 in = $0.00035; 2,000 out = $0.00028. Total $0.00063.
        const auto table = telemetry::PriceTable::shipped();
        const double cost = table.costOf(u"amazon.nova-micro-v1:0"_s, u"us-east-1"_s, usage(10000, 2000));
        QVERIFY2(qAbs(cost - 0.00063) < 1e-12, qPrintable(QString::number(cost, 'g', 17)));
    }

    void inferenceProfilesPriceAsTheirBaseModel()
    {
        using telemetry::baseModelOf;
        const QString base = u"anthropic.claude-3-7-sonnet-20250219-v1:0"_s;
        for (
            const QString &id :
            {u"us.anthropic.claude-3-7-sonnet-20250219-v1:0"_s,
             u"eu.anthropic.claude-3-7-sonnet-20250219-v1:0"_s,
             u"apac.anthropic.claude-3-7-sonnet-20250219-v1:0"_s,
             u"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0"_s,
             u"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0"_s,
             base}) {
            QCOMPARE(baseModelOf(id).id, base);
            QVERIFY(!baseModelOf(id).global);
        }
        const auto global = baseModelOf(u"global.anthropic.claude-sonnet-4-5-20250929-v1:0"_s);
        QCOMPARE(global.id, u"anthropic.claude-sonnet-4-5-20250929-v1:0"_s);
        QVERIFY(global.global);
        // An application inference profile names no model: it stays as it is (and unpriced).
        const QString appProfile =
            u"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"_s;
        QCOMPARE(baseModelOf(appProfile).id, appProfile);

        const auto table = telemetry::PriceTable::shipped();
        QVERIFY(table.costOf(u"eu.anthropic.claude-3-7-sonnet-20250219-v1:0"_s, u"us-east-1"_s,
                             usage(1000, 0)) > 0);
        // Sonnet 4.5 is priced for the global profile only: its regional rate is not verified.
        QCOMPARE(table.costOf(u"global.anthropic.claude-sonnet-4-5-20250929-v1:0"_s, u"us-east-1"_s,
                              usage(1000, 1000)),
                 0.018); // $3/M in + $15/M out for 1,000 each
        QCOMPARE(
            table.costOf(u"us.anthropic.claude-sonnet-4-5-20250929-v1:0"_s, u"us-east-1"_s, usage(1000, 0)),
            -1.0);
    }

    void unknownModelsRegionsAndCacheRatesAreUnpriced()
    {
        const auto table = telemetry::PriceTable::shipped();
        QCOMPARE(table.costOf(u"example.unknown-model-v1:0"_s, u"us-east-1"_s, usage(100, 100)), -1.0);
        QCOMPARE(table.costOf(u"amazon.nova-micro-v1:0"_s, u"ap-southeast-7"_s, usage(100, 100)), -1.0);
        // Claude 3 Haiku has no cache rate in the table: a request that used the cache is not guessed at.
        QVERIFY(table.costOf(u"anthropic.claude-3-haiku-20240307-v1:0"_s, u"us-east-1"_s, usage(100, 100)) >
                0);
        QCOMPARE(
            table.costOf(u"anthropic.claude-3-haiku-20240307-v1:0"_s, u"us-east-1"_s, usage(100, 100, 50)),
            -1.0);
    }

    void theUsersPricingFileWins()
    {
        QTemporaryDir dir;
        writeFile(telemetry::PriceTable::overridePath(dir.path()), R"({"models": {
            "anthropic.claude-3-7-sonnet-20250219-v1:0": {"regions": {"*": {"input": 1, "output": 2}}},
            "example.private-model-v1:0": {"regions": {"eu-west-1": {"input": 0.5, "output": 0.5}}}
        }})");
        QString warning;
        const auto table = telemetry::PriceTable::load(dir.path(), &warning);
        QVERIFY2(warning.isEmpty(), qPrintable(warning));
        QCOMPARE(table.costOf(u"us.anthropic.claude-3-7-sonnet-20250219-v1:0"_s, u"eu-central-1"_s,
                              usage(1000, 1000)),
                 3.0);
        QCOMPARE(table.costOf(u"example.private-model-v1:0"_s, u"eu-west-1"_s, usage(2000, 0)), 1.0);
        // Entries the file does not name keep the shipped prices.
        QVERIFY(table.costOf(u"amazon.nova-micro-v1:0"_s, u"us-east-1"_s, usage(1000, 0)) > 0);
    }

    void anInvalidPricingFileWarnsAndTheShippedTableStays()
    {
        QTemporaryDir dir;
        writeFile(
            telemetry::PriceTable::overridePath(dir.path()),
            R"({"models": {"amazon.nova-micro-v1:0": {"regions": {"us-east-1": {"input": 1, "ouput": 2}}}}})");
        QString warning;
        const auto table = telemetry::PriceTable::load(dir.path(), &warning);
        QVERIFY2(warning.contains(u"pricing.json"_s) &&
                     warning.contains(u"models.amazon.nova-micro-v1:0.regions.us-east-1.ouput"_s),
                 qPrintable(warning));
        QCOMPARE(table.costOf(u"amazon.nova-micro-v1:0"_s, u"us-east-1"_s, usage(1000, 0)), 0.000035);

        writeFile(telemetry::PriceTable::overridePath(dir.path()), "{not json");
        telemetry::PriceTable::load(dir.path(), &warning);
        QVERIFY2(warning.contains(u"invalid JSON"_s), qPrintable(warning));
    }

    void theLogLineShowsTheCost()
    {
        telemetry::TrafficRecord record;
        record.started = QDateTime::currentDateTimeUtc();
        record.method = u"POST"_s;
        record.path = u"/bedrock"_s;
        record.status = 200;
        record.tokens = usage(10000, 2000);
        record.costUsd = 0.00063;
        QVERIFY2(record.toLogLine().contains(u" cost=$0.00063"_s), qPrintable(record.toLogLine()));
        record.costUsd = -1;
        QVERIFY2(record.toLogLine().contains(u" cost=\u2014"_s), qPrintable(record.toLogLine()));
    }

    void spendRollsOverAtLocalMidnightAndMonthStart()
    {
        telemetry::SpendTracker spend;
        const QString backend = u"agentgateway-system/bedrock"_s;
        spend.add(backend, 0.25, localAt(2026, 11, 30, 23, 59), {});
        QCOMPARE(spend.spent(backend, Budget::Period::Day, localAt(2026, 11, 30, 23, 59)), 0.25);
        // A new day: the day's total starts again; a new month: so does the month's.
        QCOMPARE(spend.spent(backend, Budget::Period::Day, localAt(2026, 12, 1, 0, 1)), 0.0);
        QCOMPARE(spend.spent(backend, Budget::Period::Month, localAt(2026, 12, 1, 0, 1)), 0.0);
        spend.add(backend, 0.5, localAt(2026, 12, 1, 0, 1), {});
        spend.add(backend, 0.125, localAt(2026, 12, 2, 9, 0), {});
        QCOMPARE(spend.spent(backend, Budget::Period::Day, localAt(2026, 12, 2, 9, 0)), 0.125);
        QCOMPARE(spend.spent(backend, Budget::Period::Month, localAt(2026, 12, 2, 9, 0)), 0.625);
        QCOMPARE(spend.spent(QString(), Budget::Period::Month, localAt(2026, 12, 2, 9, 0)), 0.625);
        QCOMPARE(spend.spent(u"other/backend"_s, Budget::Period::Day, localAt(2026, 12, 2, 9, 0)), 0.0);
        // A request no backend answered (none matched) counts once, in the total only.
        spend.add(QString(), 0.25, localAt(2026, 12, 2, 9, 5), {});
        QCOMPARE(spend.spent(QString(), Budget::Period::Day, localAt(2026, 12, 2, 9, 5)), 0.375);
    }

    void budgetsWarnAt80And100PercentOnce()
    {
        telemetry::SpendTracker spend;
        const QString backend = u"agentgateway-system/bedrock"_s;
        const QList<Budget> budgets{{backend, u"agentgateway"_s, 1.0, 0, true}};
        const QDateTime now = localAt(2026, 12, 1, 10, 0);
        QVERIFY(spend.add(backend, 0.5, now, budgets).isEmpty());
        const auto warning = spend.add(backend, 0.3, now, budgets);
        QCOMPARE(warning.size(), 1);
        QCOMPARE(warning.first().percent, 80);
        QVERIFY2(
            warning.first().text().contains(u"daily budget of backend agentgateway-system/bedrock ($1.00)"_s),
            qPrintable(warning.first().text()));
        QVERIFY(spend.add(backend, 0.1, now, budgets).isEmpty()); // 90 %: said already
        QVERIFY(!spend.blocking(backend, budgets, now));
        const auto spent = spend.add(backend, 0.2, now, budgets);
        QCOMPARE(spent.size(), 1);
        QCOMPARE(spent.first().percent, 100);
        const auto blocked = spend.blocking(backend, budgets, now);
        QVERIFY(blocked);
        QVERIFY2(blocked->text().contains(u"is spent: $1.10 today"_s), qPrintable(blocked->text()));
        // Another backend is not held by this backend's budget, and the next day starts afresh.
        QVERIFY(!spend.blocking(u"other/backend"_s, budgets, now));
        QVERIFY(!spend.blocking(backend, budgets, localAt(2026, 12, 2, 0, 0)));
    }

    void seededHistoryCountsForTheMonthWithoutWarnings()
    {
        telemetry::SpendTracker spend;
        const QString backend = u"ns/b"_s;
        const QDateTime now = localAt(2026, 12, 15, 12, 0);
        spend.seed(backend, 0.5, localAt(2026, 12, 15, 8, 0), now);
        spend.seed(backend, 2.0, localAt(2026, 12, 3, 8, 0), now);
        spend.seed(backend, 9.0, localAt(2026, 11, 30, 8, 0), now); // last month: not counted
        QCOMPARE(spend.spent(backend, Budget::Period::Day, now), 0.5);
        QCOMPARE(spend.spent(backend, Budget::Period::Month, now), 2.5);
        QCOMPARE(spend.spent(QString(), Budget::Period::Month, now), 2.5);
    }
};

QUARRY_TEST_GUILESS_MAIN(TestTelemetryCost)
#include "tst_telemetry_cost.moc"
