// The worker threads' epoll event loop (http/EpollEventDispatcher): Qt's socket notifiers, timers,
// posted events and quitting behave as under Qt's own dispatchers. Each test runs its objects on a
// QThread that uses the dispatcher, as the HTTP server's workers do.
#include "http/EpollEventDispatcher.h"
#include "http/HttpServer.h"
#include "http/RequestHandler.h"

#include <QElapsedTimer>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

using namespace quarry::http;

namespace {

// A QThread running the epoll dispatcher, and a context object on it to run code there.
class EpollThread
{
public:
    EpollThread()
    {
        QAbstractEventDispatcher *dispatcher = createWorkerEventDispatcher();
        QVERIFY(dispatcher);
        m_thread.setEventDispatcher(dispatcher);
        m_context.moveToThread(&m_thread);
        m_thread.start();
    }
    ~EpollThread()
    {
        m_thread.quit();
        m_thread.wait(5000);
    }
    // Runs `code` on the thread and waits for it.
    void run(const std::function<void()> &code)
    {
        QMetaObject::invokeMethod(&m_context, code, Qt::BlockingQueuedConnection);
    }
    // Runs `code` on the thread, from its event loop, without waiting.
    void post(std::function<void()> code)
    {
        QMetaObject::invokeMethod(&m_context, std::move(code), Qt::QueuedConnection);
    }
    // A repeating timer on the thread that counts its timeouts in `fired`.
    std::unique_ptr<QTimer> countingTimer(int intervalMs, std::atomic<int> &fired)
    {
        std::unique_ptr<QTimer> timer;
        run([&] {
            timer = std::make_unique<QTimer>();
            timer->setInterval(intervalMs);
            QObject::connect(timer.get(), &QTimer::timeout, timer.get(), [&fired] { ++fired; });
            timer->start();
        });
        return timer;
    }
    QObject *context() { return &m_context; }
    QThread &thread() { return m_thread; }

private:
    QThread m_thread;
    QObject m_context;
};

struct SocketPair
{
    // qFatal, not QVERIFY: these also run on the worker thread.
    SocketPair()
    {
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0)
            qFatal("socketpair failed");
    }
    ~SocketPair()
    {
        for (int fd : fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }
    void send(char byte)
    {
        if (::write(fds[1], &byte, 1) != 1)
            qFatal("write to a socketpair failed");
    }
    int fds[2] = {-1, -1};
};

} // namespace

class TestHttpEventLoop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The HTTP server's worker threads run this loop (where the handler is made, on each worker).
    void httpServerWorkersRunTheEpollLoop()
    {
        struct NoHandler final : RequestHandler
        {
            void handle(HttpRequest, std::shared_ptr<ResponseWriter>) override {}
        };
        std::atomic<int> workers = 0, onEpoll = 0;
        ServerOptions options;
        options.workerThreads = 2;
        HttpServer server(
            [&]() -> std::unique_ptr<RequestHandler> {
                ++workers;
                if (dynamic_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()))
                    ++onEpoll;
                return std::make_unique<NoHandler>();
            },
            options);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QTRY_COMPARE_WITH_TIMEOUT(workers.load(), 2, 5000);
        QCOMPARE(onEpoll.load(), 2);
    }

    // A TCP exchange with a server on the main thread (Qt's own loop): connecting (a write
    // notifier), reading (a read notifier) and the peer closing.
    void tcpSocketConnectsReadsAndSeesTheClose()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        connect(&server, &QTcpServer::newConnection, this, [&server] {
            QTcpSocket *peer = server.nextPendingConnection();
            connect(peer, &QTcpSocket::readyRead, peer, [peer] {
                peer->write(peer->readAll().toUpper());
                peer->disconnectFromHost();
            });
        });
        EpollThread thread;
        std::atomic<bool> done = false;
        QByteArray answer;
        std::unique_ptr<QTcpSocket> client;
        thread.run([&] {
            client = std::make_unique<QTcpSocket>();
            connect(client.get(), &QTcpSocket::connected, client.get(), [&] { client->write("hello"); });
            connect(client.get(), &QTcpSocket::readyRead, client.get(), [&] { answer += client->readAll(); });
            connect(client.get(), &QTcpSocket::disconnected, client.get(), [&] { done = true; });
            client->connectToHost(QHostAddress::LocalHost, server.serverPort());
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 5000);
        QCOMPARE(answer, "HELLO");
        thread.run([&] { client.reset(); });
    }

    void disabledNotifierStaysQuietAndWakesWhenEnabledAgain()
    {
        EpollThread thread;
        SocketPair pair;
        std::atomic<int> activations = 0;
        std::unique_ptr<QSocketNotifier> notifier;
        thread.run([&] {
            notifier = std::make_unique<QSocketNotifier>(pair.fds[0], QSocketNotifier::Read);
            connect(notifier.get(), &QSocketNotifier::activated, notifier.get(), [&] {
                ++activations;
                notifier->setEnabled(false); // leaves the byte unread: readable, but not wanted
            });
        });
        pair.send('x');
        QTRY_COMPARE_WITH_TIMEOUT(activations.load(), 1, 5000);
        // A timer on the thread keeps its loop turning: a disabled notifier must not fire there.
        std::atomic<int> turns = 0;
        std::unique_ptr<QTimer> ticker = thread.countingTimer(1, turns);
        QTRY_VERIFY_WITH_TIMEOUT(turns >= 20, 5000);
        QCOMPARE(activations.load(), 1);
        thread.run([&] { notifier->setEnabled(true); });
        QTRY_COMPARE_WITH_TIMEOUT(activations.load(), 2, 5000);
        thread.run([&] {
            notifier.reset();
            ticker.reset();
        });
    }

    // A descriptor closed after its notifier went, and its number given to a new socket: the new
    // socket's notifier must be heard (the kernel forgot the old descriptor when it was closed).
    void reusedDescriptorNumberIsWatchedAgain()
    {
        EpollThread thread;
        auto first = std::make_unique<SocketPair>();
        const int number = first->fds[0];
        std::atomic<int> firstActivations = 0;
        thread.run([&] {
            auto *notifier = new QSocketNotifier(first->fds[0], QSocketNotifier::Read);
            connect(notifier, &QSocketNotifier::activated, notifier, [&] { ++firstActivations; });
            delete notifier;
        });
        first.reset();
        SocketPair second;
        QCOMPARE(second.fds[0], number);
        std::atomic<int> activations = 0;
        std::unique_ptr<QSocketNotifier> notifier;
        thread.run([&] {
            notifier = std::make_unique<QSocketNotifier>(second.fds[0], QSocketNotifier::Read);
            connect(notifier.get(), &QSocketNotifier::activated, notifier.get(), [&] {
                char byte;
                if (::read(second.fds[0], &byte, 1) == 1)
                    ++activations;
            });
        });
        second.send('y');
        QTRY_COMPARE_WITH_TIMEOUT(activations.load(), 1, 5000);
        QCOMPARE(firstActivations.load(), 0);
        thread.run([&] { notifier.reset(); });
    }

    // Two sockets ready in the same pass. Whichever is handled first closes the other and opens a
    // new socket that gets its descriptor number: the closed one's event, still in the pass's
    // results, must not reach the new socket's notifier (nothing was written to it).
    void eventOfAClosedSocketDoesNotReachItsSuccessor()
    {
        EpollThread thread;
        std::unique_ptr<SocketPair> pairs[2];
        std::unique_ptr<QSocketNotifier> notifiers[2];
        std::unique_ptr<SocketPair> successor;
        std::unique_ptr<QSocketNotifier> successorNotifier;
        std::atomic<int> handled = 0, successorActivations = 0;
        std::atomic<bool> sameNumber = false;
        thread.run([&] {
            for (int i = 0; i < 2; ++i) {
                pairs[i] = std::make_unique<SocketPair>();
                notifiers[i] = std::make_unique<QSocketNotifier>(pairs[i]->fds[0], QSocketNotifier::Read);
                connect(notifiers[i].get(), &QSocketNotifier::activated, notifiers[i].get(), [&, i] {
                    ++handled;
                    const int other = 1 - i;
                    if (!pairs[other])
                        return;
                    const int number = pairs[other]->fds[0];
                    notifiers[other].reset();
                    pairs[other].reset();
                    successor = std::make_unique<SocketPair>();
                    sameNumber = successor->fds[0] == number;
                    successorNotifier =
                        std::make_unique<QSocketNotifier>(successor->fds[0], QSocketNotifier::Read);
                    connect(successorNotifier.get(), &QSocketNotifier::activated, successorNotifier.get(),
                            [&] { ++successorActivations; });
                    notifiers[i]->setEnabled(false);
                });
            }
            // Both readable before the loop looks again: they come back from one epoll_wait().
            pairs[0]->send('a');
            pairs[1]->send('b');
        });
        QTRY_VERIFY_WITH_TIMEOUT(handled >= 1, 5000);
        QTest::qWait(50);
        QCOMPARE(handled.load(), 1);
        QVERIFY(sameNumber); // else the test did not set up what it is about
        QCOMPARE(successorActivations.load(), 0);
        thread.run([&] {
            successorNotifier.reset();
            for (auto &notifier : notifiers)
                notifier.reset();
        });
    }

    void singleShotTimerFiresOnceAndNotEarly()
    {
        EpollThread thread;
        std::atomic<int> fired = 0;
        std::atomic<qint64> elapsedMs = -1;
        QElapsedTimer clock;
        thread.run([&] {
            clock.start();
            QTimer::singleShot(50, thread.context(), [&] {
                elapsedMs = clock.elapsed();
                ++fired;
            });
        });
        QTRY_COMPARE_WITH_TIMEOUT(fired.load(), 1, 5000);
        QVERIFY2(elapsedMs >= 50, qPrintable(QString::number(elapsedMs)));
        QTest::qWait(120);
        QCOMPARE(fired.load(), 1);
    }

    void repeatingTimerKeepsFiringAndReportsItsRemainingTime()
    {
        EpollThread thread;
        std::atomic<int> fired = 0;
        std::unique_ptr<QTimer> timer = thread.countingTimer(5, fired);
        int remaining = -2;
        QTRY_VERIFY_WITH_TIMEOUT(fired >= 5, 5000);
        // Each firing moves its deadline on by the interval: over 100 ms at most 20 (and some
        // slack), not once per pass of the loop.
        QElapsedTimer window;
        thread.run([&] {
            fired = 0;
            window.start();
        });
        QTest::qWait(100);
        const int firedInWindow = fired;
        const qint64 windowMs = window.elapsed();
        QVERIFY2(firedInWindow <= windowMs / 5 + 5, qPrintable(QString::number(firedInWindow)));
        thread.run([&] {
            timer->setInterval(60'000);
            timer->start();
            remaining = timer->remainingTime();
        });
        QVERIFY2(remaining > 59'000 && remaining <= 60'000, qPrintable(QString::number(remaining)));
        thread.run([&] { timer.reset(); });
    }

    // Both timers are due in the same pass; the first one's handler stops the second, which then
    // must not fire (its object may be gone).
    void timerStoppedByAnotherDueInTheSamePassDoesNotFire()
    {
        EpollThread thread;
        std::atomic<int> firstFired = 0, secondFired = 0;
        std::unique_ptr<QTimer> first, second;
        thread.run([&] {
            first = std::make_unique<QTimer>();
            second = std::make_unique<QTimer>();
            for (QTimer *timer : {first.get(), second.get()}) {
                timer->setSingleShot(true);
                timer->setInterval(20);
            }
            connect(first.get(), &QTimer::timeout, first.get(), [&] {
                ++firstFired;
                second->stop();
            });
            connect(second.get(), &QTimer::timeout, second.get(), [&] {
                ++secondFired;
                first->stop();
            });
            first->start();
            second->start();
            QThread::msleep(40); // both are due when the loop next looks
        });
        QTRY_COMPARE_WITH_TIMEOUT(firstFired + secondFired, 1, 5000);
        QTest::qWait(60);
        QCOMPARE(firstFired + secondFired, 1);
        thread.run([&] {
            first.reset();
            second.reset();
        });
    }

    // Posted by the thread to itself, with nothing else to wake it (no timer, no socket): each
    // event must still be sent, without waiting for a wake-up that was never written.
    void eventsPostedToItselfAreSentWithoutAWakeUp()
    {
        EpollThread thread;
        std::atomic<int> hops = 0;
        std::function<void()> hop = [&] {
            if (++hops < 1000)
                QMetaObject::invokeMethod(thread.context(), hop, Qt::QueuedConnection);
        };
        thread.post(hop);
        QTRY_COMPARE_WITH_TIMEOUT(hops.load(), 1000, 5000);
    }

    void eventPostedFromAnotherThreadWakesTheLoop()
    {
        EpollThread thread;
        for (int i = 0; i < 20; ++i) {
            std::atomic<bool> ran = false;
            thread.post([&] { ran = true; });
            QTRY_VERIFY_WITH_TIMEOUT(ran, 5000);
        }
    }

    // Posts from other threads race the loop as it drains its eventfd: none may be left unsent.
    // (Marking "no wake-up written" before reading the eventfd lost every later wake-up once a
    // post landed between the two: the loop then slept through posts, and a server's shutdown,
    // which waits for its workers to run a posted call, hung.)
    void postsRacingTheWakeUpAreNeverLost()
    {
        EpollThread thread;
        constexpr int PerPoster = 200'000;
        std::atomic<int> sent = 0;
        const auto poster = [&] {
            for (int i = 0; i < PerPoster; ++i) {
                thread.post([&sent] { ++sent; });
                if (i % 64 == 0)
                    std::this_thread::yield(); // lets the loop run dry and wait again
            }
        };
        std::thread first(poster);
        std::thread second(poster);
        first.join();
        second.join();
        QTRY_COMPARE_WITH_TIMEOUT(sent.load(), 2 * PerPoster, 20000);
        // And the loop still wakes for one more.
        std::atomic<bool> ran = false;
        thread.post([&] { ran = true; });
        QTRY_VERIFY_WITH_TIMEOUT(ran, 5000);
    }

    void quitFromAnotherThreadEndsTheLoop()
    {
        EpollThread thread;
        QTRY_VERIFY_WITH_TIMEOUT(thread.thread().isRunning(), 5000);
        QTest::qWait(20); // the loop is now blocked in epoll_wait
        thread.thread().quit();
        QVERIFY(thread.thread().wait(5000));
    }
};

QTEST_GUILESS_MAIN(TestHttpEventLoop)
#include "tst_http_eventloop.moc"
