// KeychainWorker: lives on the keychain thread and runs QtKeychain jobs there, one at a time.
#pragma once

#include "secrets/KeychainRequest.h"

#include <QObject>

#include <deque>

namespace QKeychain {
class Job;
}

namespace quarry::secrets {

// QtKeychain queues every job through one process-wide JobExecutor that is not thread-safe, so
// every job is created, started and deleted here, on one thread. Only one job is handed to
// QtKeychain at a time: its executor runs them one by one anyway, and a job that never finishes
// (a locked keyring whose unlock prompt nobody answers) would otherwise pile every later job up
// inside QtKeychain, where nothing can expire them. Requests wait here instead, where a request
// whose deadline passed is dropped without being started and the queue has a hard cap.
class KeychainWorker : public QObject
{
    Q_OBJECT
public:
    // Beyond this many waiting requests new ones are refused at once (they could only time out).
    static constexpr qsizetype MaxWaiting = 256;

    using QObject::QObject;
    ~KeychainWorker() override;

    // Keychain thread only.
    void enqueue(KeychainRequest request);

Q_SIGNALS:
    // Every request gets exactly one answer, unless its deadline passed before it started.
    // Receivers filter by id; an answer for a request nobody waits for any more is ignored.
    void answered(const quarry::secrets::KeychainAnswer &answer);

private:
    void startNext();
    void dropExpired();
    void onJobFinished(QKeychain::Job *job);

    std::deque<KeychainRequest> m_waiting;
    QKeychain::Job *m_running = nullptr; // at most one job inside QtKeychain
    quint64 m_runningId = 0;
};

} // namespace quarry::secrets
