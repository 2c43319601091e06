// ExchangeReaper: finished exchanges are deleted from the event loop, never inside a nested one,
// and never lost.
#include "gateway/ExchangeReaper.h"

#include <QEventLoop>
#include <QPointer>
#include <QTest>
#include <QTimer>

using namespace quarry;

class TestGatewayReaper : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void retiredObjectsGoOnceTheLoopRuns()
    {
        gateway::ExchangeReaper reaper;
        QList<QPointer<QObject>> exchanges;
        for (int i = 0; i < 3; ++i) {
            auto *exchange = new QObject;
            exchanges.append(exchange);
            reaper.retire(exchange);
        }
        // Still there: the caller may be inside one of them.
        QCOMPARE(reaper.waiting(), 3);
        for (const auto &exchange : exchanges)
            QVERIFY(exchange);
        QTRY_COMPARE(reaper.waiting(), 0);
        for (const auto &exchange : exchanges)
            QVERIFY(!exchange);
    }

    void aNestedLoopKeepsThemUntilItReturns()
    {
        gateway::ExchangeReaper reaper;
        QPointer<QObject> exchange = new QObject;
        bool aliveThroughNestedLoop = false;
        QEventLoop outer;
        QTimer::singleShot(0, &outer, [&] {
            reaper.retire(exchange);
            QEventLoop nested; // a modal wait while the exchange is on the stack
            QTimer::singleShot(50, &nested, &QEventLoop::quit);
            nested.exec();
            aliveThroughNestedLoop = !exchange.isNull();
            QTimer::singleShot(200, &outer, &QEventLoop::quit);
        });
        outer.exec();
        QVERIFY(aliveThroughNestedLoop);
        QVERIFY(!exchange); // deleted by the outer loop
    }

    void destroyingTheReaperDeletesWhatWaits()
    {
        QPointer<QObject> exchange = new QObject;
        {
            gateway::ExchangeReaper reaper;
            reaper.retire(exchange);
        }
        QVERIFY(!exchange);
    }
};

QTEST_GUILESS_MAIN(TestGatewayReaper)
#include "tst_gateway_reaper.moc"
