// KeychainWorker: the only place in the process that creates, starts and deletes QtKeychain jobs.
#include "secrets/KeychainWorker.h"

#include <qt6keychain/keychain.h>

#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;

namespace quarry::secrets {

// A job still running at this point is one the keychain never answered, and the process is
// quitting. It is left alone, not deleted: its libsecret/D-Bus callback still points at it, and
// deleting a job under a pending callback is the kind of crash this class exists to prevent. No
// event loop runs on this thread any more, so that callback cannot run either.
KeychainWorker::~KeychainWorker() = default;

void KeychainWorker::enqueue(KeychainRequest request)
{
    dropExpired();
    if (std::ssize(m_waiting) >= MaxWaiting) {
        Q_EMIT answered({request.id,
                         KeychainAnswer::Refused,
                         u"%1 keychain operations are already waiting for the OS keychain"_s.arg(MaxWaiting),
                         {}});
        return;
    }
    m_waiting.push_back(std::move(request));
    startNext();
}

void KeychainWorker::dropExpired()
{
    // Their callers were already told the keychain did not answer; starting them now would, e.g.,
    // store a secret the user was told was not stored.
    std::erase_if(m_waiting, [](const KeychainRequest &r) { return r.deadline.hasExpired(); });
}

void KeychainWorker::startNext()
{
    dropExpired();
    if (m_running || m_waiting.empty())
        return;
    KeychainRequest request = std::move(m_waiting.front());
    m_waiting.pop_front();

    QKeychain::Job *job = nullptr;
    switch (request.kind) {
    case KeychainRequest::Kind::Read:
        job = new QKeychain::ReadPasswordJob(request.service);
        break;
    case KeychainRequest::Kind::Write: {
        auto *write = new QKeychain::WritePasswordJob(request.service);
        // As text, so Secret Service stores it as "plaintext" rather than base64 of JSON, and the
        // item is readable in Seahorse or `secret-tool lookup`.
        write->setTextData(QString::fromUtf8(request.data));
        job = write;
        break;
    }
    case KeychainRequest::Kind::Remove:
        job = new QKeychain::DeletePasswordJob(request.service);
        break;
    }
    // No parent; autoDelete makes QtKeychain deleteLater() it here once it has finished.
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // a plain-text file is not a keychain
    job->setKey(request.key);
    connect(job, &QKeychain::Job::finished, this, &KeychainWorker::onJobFinished);
    m_running = job;
    m_runningId = request.id;
    job->start();
}

void KeychainWorker::onJobFinished(QKeychain::Job *job)
{
    if (job != m_running)
        return;
    KeychainAnswer answer{m_runningId, int(job->error()), job->errorString(), {}};
    if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(job);
        read && job->error() == QKeychain::NoError)
        answer.data = read->binaryData();
    m_running = nullptr;
    Q_EMIT answered(answer); // queued to the stores; a late answer is ignored there
    startNext();
}

} // namespace quarry::secrets
