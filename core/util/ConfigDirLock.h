// ConfigDirLock: the cross-process lock held around every read-modify-write in the config directory
// (resources.yaml, secrets.json), and the owner-only modes kept there (directory 0700, files 0600).
#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QLockFile>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QString>
#include <QThread>

#include <algorithm>

namespace quarry {

// Header-only because quarry_util is an interface library shared by config/ and secrets/.
class ConfigDirLock
{
public:
    // Another quarry holds the lock for milliseconds (read, change, write); ten seconds means it
    // is stuck, and saying so beats waiting forever.
    static constexpr int kDefaultTimeoutMs = 10'000;
    // A lock whose owner died (kill -9, crash) is taken over at once: QLockFile checks the pid it
    // recorded. This age matters for a lock file whose owner was killed before it could record its
    // pid; it is below the timeout so that case recovers, and far above the milliseconds a live
    // owner holds the lock.
    static constexpr int kStaleAfterMs = 5'000;
    static constexpr QFile::Permissions kPrivateFile = QFile::ReadOwner | QFile::WriteOwner;
    static constexpr QFile::Permissions kPrivateDir = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;

    explicit ConfigDirLock(const QString &dir) : m_dir(dir), m_lock(lockPath(dir))
    {
        m_lock.setStaleLockTime(kStaleAfterMs);
    }

    static QString lockPath(const QString &dir)
    {
        using namespace Qt::StringLiterals;
        return QDir(dir).filePath(u"quarry.lock"_s);
    }

    // Creates the directory (0700) if needed, then waits at most timeoutMs for the lock.
    // The lock is released when this object is destroyed.
    Status acquire(int timeoutMs = kDefaultTimeoutMs)
    {
        using namespace Qt::StringLiterals;
        if (const Status dir = makePrivateDir(m_dir); !dir.ok())
            return dir;
        const QString path = QDir::toNativeSeparators(lockPath(m_dir));
        // Polled at a short, jittered interval rather than with tryLock(timeout), whose back-off
        // grows to seconds: under steady contention a waiter would miss every free moment.
        const QDeadlineTimer deadline(timeoutMs);
        while (!m_lock.tryLock(0)) {
            if (m_lock.error() != QLockFile::LockFailedError || deadline.hasExpired())
                break;
            const qint64 pause =
                std::min<qint64>(deadline.remainingTime(), 5 + QRandomGenerator::global()->bounded(20));
            QThread::msleep(static_cast<unsigned long>(pause));
        }
        if (m_lock.isLocked()) {
            QFile::setPermissions(lockPath(m_dir), kPrivateFile);
            return Ok{};
        }
        if (m_lock.error() == QLockFile::LockFailedError)
            return Status::failure(u"another quarry process holds the configuration lock (%1) and did not "
                                   u"release it within %2 s; nothing was changed"_s.arg(
                                       path, QString::number(timeoutMs / 1000.0)));
        return Status::failure(u"cannot create the configuration lock %1: %2"_s.arg(
            path,
            m_lock.error() == QLockFile::PermissionError ? u"permission denied"_s : u"unknown error"_s));
    }

    // The directory holds what says which credentials exist; only its owner may list or change it.
    // An existing directory with a looser mode is tightened.
    static Status makePrivateDir(const QString &dir)
    {
        using namespace Qt::StringLiterals;
        if (!QDir().mkpath(dir))
            return Status::failure(u"cannot create directory %1"_s.arg(QDir::toNativeSeparators(dir)));
        constexpr QFile::Permissions kOthers = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                               QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
        if (QFile::permissions(dir).testAnyFlags(kOthers) && !QFile::setPermissions(dir, kPrivateDir))
            return Status::failure(
                u"cannot make %1 private to its owner (mode 0700)"_s.arg(QDir::toNativeSeparators(dir)));
        return Ok{};
    }

    // Atomic (QSaveFile: a kill leaves the old file or the new one, never a torn one) and 0600,
    // also when the file it replaces had a looser mode.
    static Status writePrivateFile(const QString &path, const QByteArray &bytes)
    {
        using namespace Qt::StringLiterals;
        QSaveFile file(path);
        const bool written = file.open(QIODevice::WriteOnly) && file.setPermissions(kPrivateFile) &&
                             file.write(bytes) == bytes.size() && file.commit();
        if (!written)
            return Status::failure(
                u"cannot write %1: %2"_s.arg(QDir::toNativeSeparators(path), file.errorString()));
        return Ok{};
    }

private:
    QString m_dir;
    QLockFile m_lock;
};

} // namespace quarry
