// KeychainThread: the one thread of the process on which every QtKeychain job lives.
#pragma once

#include "secrets/KeychainRequest.h"

#include <QMetaObject>
#include <QMutex>
#include <QObject>

#include <functional>

class QThread;

namespace quarry::secrets {

class KeychainWorker;

// Created on first use and stopped when the QCoreApplication is destroyed (or at exit without
// one). QtKeychain is not thread-safe (one process-wide JobExecutor queues every job, whatever
// thread started it), so KeychainSecretStores on any thread hand their work to this thread.
class KeychainThread
{
public:
    static KeychainThread &instance();

    ~KeychainThread();
    KeychainThread(const KeychainThread &) = delete;
    KeychainThread &operator=(const KeychainThread &) = delete;

    // Thread-safe. Answers arrive through connectAnswers(). False once stopped: nothing will
    // answer, the caller must fail the operation itself.
    bool submit(KeychainRequest request);
    // Thread-safe. Connects onAnswer (run on receiver's thread, queued) to every answer; Qt
    // drops the connection when receiver is destroyed. An invalid connection once stopped.
    QMetaObject::Connection connectAnswers(QObject *receiver,
                                           std::function<void(const KeychainAnswer &)> onAnswer);

    // Stops the thread; idempotent. Waits a bounded time (the thread only runs short callbacks,
    // but nothing waits forever): if it does not end, it is left running rather than destroyed
    // under its own feet.
    void stop();

    static quint64 nextRequestId();

private:
    KeychainThread();

    QMutex m_mutex; // guards m_stopped against submit()/connectAnswers() racing stop()
    bool m_stopped = false;
    QThread *m_thread = nullptr;
    KeychainWorker *m_worker = nullptr; // lives on m_thread; deleted there when it finishes
};

} // namespace quarry::secrets
