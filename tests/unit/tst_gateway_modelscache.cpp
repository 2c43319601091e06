// The model-list cache: a tool polling /v1/models gets the list it got a moment ago, for ten
// minutes, and then a fresh one; each backend (and credential source) has its own list.
#include "gateway/ModelsCache.h"

#include <QTest>

using namespace Qt::StringLiterals;
using quarry::gateway::ModelsCache;
using namespace std::chrono_literals;

namespace {

// The test's clock: moved on by hand, so no test waits and none depends on the machine's speed.
std::chrono::steady_clock::time_point fakeNow = std::chrono::steady_clock::time_point{} + 24h;

std::chrono::steady_clock::time_point fakeClock()
{
    return fakeNow;
}

} // namespace

class TestGatewayModelsCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ModelsCache::setClockForTesting(&fakeClock); }
    void cleanupTestCase() { ModelsCache::setClockForTesting(nullptr); }
    void listKeptForTenMinutes();
    void storingAgainStartsTheTenMinutesAgain();
    void eachKeyHasItsOwnList();
    void boundedOldestGoesFirst();
};

void TestGatewayModelsCache::listKeptForTenMinutes()
{
    QCOMPARE(ModelsCache::Lifetime, 10min);
    QVERIFY(!ModelsCache::lookup(u"ten|host|us-east-1|secret a"_s));
    ModelsCache::store(u"ten|host|us-east-1|secret a"_s, R"({"data":[{"id":"m1"}]})");
    fakeNow += 9min + 59s;
    QCOMPARE(ModelsCache::lookup(u"ten|host|us-east-1|secret a"_s).value_or(QByteArray()),
             QByteArray(R"({"data":[{"id":"m1"}]})"));
    fakeNow += 2s;
    QVERIFY(!ModelsCache::lookup(u"ten|host|us-east-1|secret a"_s));
}

void TestGatewayModelsCache::storingAgainStartsTheTenMinutesAgain()
{
    ModelsCache::store(u"again"_s, "old");
    fakeNow += 8min;
    ModelsCache::store(u"again"_s, "new");
    fakeNow += 8min;
    QCOMPARE(ModelsCache::lookup(u"again"_s).value_or(QByteArray()), QByteArray("new"));
}

void TestGatewayModelsCache::eachKeyHasItsOwnList()
{
    ModelsCache::store(u"b1|host|us-east-1|secret a"_s, "first");
    ModelsCache::store(u"b1|host|us-east-1|secret b"_s, "second");
    ModelsCache::store(u"b2|host|us-east-1|secret a"_s, "third");
    QCOMPARE(ModelsCache::lookup(u"b1|host|us-east-1|secret a"_s).value_or(QByteArray()),
             QByteArray("first"));
    QCOMPARE(ModelsCache::lookup(u"b1|host|us-east-1|secret b"_s).value_or(QByteArray()),
             QByteArray("second"));
    QCOMPARE(ModelsCache::lookup(u"b2|host|us-east-1|secret a"_s).value_or(QByteArray()),
             QByteArray("third"));
    QVERIFY(!ModelsCache::lookup(u"b2|host|eu-west-1|secret a"_s));
}

// Nothing grows forever: a process that has seen many backends keeps only the newest lists.
void TestGatewayModelsCache::boundedOldestGoesFirst()
{
    for (int i = 0; i <= ModelsCache::MaxEntries; ++i) {
        fakeNow += 1s;
        ModelsCache::store(u"bound-%1"_s.arg(i), QByteArray::number(i));
    }
    QVERIFY(!ModelsCache::lookup(u"bound-0"_s).has_value());
    QCOMPARE(ModelsCache::lookup(u"bound-1"_s).value_or(QByteArray()), QByteArray("1"));
    QCOMPARE(ModelsCache::lookup(u"bound-%1"_s.arg(ModelsCache::MaxEntries)).value_or(QByteArray()),
             QByteArray::number(ModelsCache::MaxEntries));
}

QTEST_GUILESS_MAIN(TestGatewayModelsCache)
#include "tst_gateway_modelscache.moc"
