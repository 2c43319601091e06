// KeychainThread: starts, feeds and stops the keychain thread.
#include "secrets/KeychainThread.h"

#include "secrets/KeychainWorker.h"

#include <QCoreApplication>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;

namespace quarry::secrets {

namespace {

// Runs from the QCoreApplication destructor, while Qt is still whole (a function-local static's
// destructor runs later, after Qt's own globals may be gone).
void stopAtAppExit()
{
    KeychainThread::instance().stop();
}

} // namespace

KeychainThread &KeychainThread::instance()
{
    static KeychainThread thread;
    return thread;
}

KeychainThread::KeychainThread() : m_thread(new QThread), m_worker(new KeychainWorker)
{
    qRegisterMetaType<KeychainAnswer>();
    m_thread->setObjectName(u"quarry-keychain"_s);
    m_worker->moveToThread(m_thread);
    // Objects a thread creates, that thread deletes: the worker (and the jobs it finished) go
    // with the thread's last event loop pass.
    QObject::connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
    qAddPostRoutine(stopAtAppExit);
}

KeychainThread::~KeychainThread()
{
    stop();
}

void KeychainThread::stop()
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_stopped)
            return;
        m_stopped = true;
    }
    m_thread->quit();
    if (m_thread->wait(QDeadlineTimer(5000))) {
        delete m_thread;
    } else {
        // Destroying a running QThread aborts the process; leaking it at exit does not.
        qWarning("the keychain thread did not stop within 5 s; leaving it behind");
    }
    m_thread = nullptr;
    m_worker = nullptr;
}

bool KeychainThread::submit(KeychainRequest request)
{
    QMutexLocker lock(&m_mutex);
    if (m_stopped)
        return false;
    KeychainWorker *worker = m_worker;
    return QMetaObject::invokeMethod(
        worker, [worker, request = std::move(request)]() mutable { worker->enqueue(std::move(request)); },
        Qt::QueuedConnection);
}

QMetaObject::Connection KeychainThread::connectAnswers(QObject *receiver,
                                                       std::function<void(const KeychainAnswer &)> onAnswer)
{
    QMutexLocker lock(&m_mutex);
    if (m_stopped)
        return {};
    return QObject::connect(m_worker, &KeychainWorker::answered, receiver, std::move(onAnswer),
                            Qt::QueuedConnection);
}

quint64 KeychainThread::nextRequestId()
{
    static std::atomic<quint64> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

} // namespace quarry::secrets
