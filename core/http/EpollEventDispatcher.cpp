// The worker threads' epoll event loop (Linux). See the header for why.
#include "http/EpollEventDispatcher.h"

#ifndef Q_OS_LINUX

namespace quarry::http {
QAbstractEventDispatcher *createWorkerEventDispatcher()
{
    return nullptr;
}
} // namespace quarry::http

#else

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QThread>
#include <QTimerEvent>
#include <QtDebug>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

namespace quarry::http {

namespace {

// Events that wake each kind of notifier; an error or a hang-up wakes all of them, so the socket
// reads or writes, sees the error and reports it (as Qt's own dispatchers do).
constexpr quint32 ReadEvents = EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR;
constexpr quint32 WriteEvents = EPOLLOUT | EPOLLHUP | EPOLLERR;
constexpr quint32 ExceptionEvents = EPOLLPRI | EPOLLHUP | EPOLLERR;
// Descriptors reported ready per epoll_wait(); more stay ready for the next pass.
constexpr int MaxReadyPerPass = 256;

} // namespace

QAbstractEventDispatcher *createWorkerEventDispatcher()
{
    auto *dispatcher = new EpollEventDispatcher;
    if (dispatcher->isUsable())
        return dispatcher;
    qWarning("quarry: epoll is not available (%s); the worker threads use Qt's event loop", strerror(errno));
    delete dispatcher;
    return nullptr;
}

quint32 EpollEventDispatcher::Watch::wanted() const
{
    return (read ? EPOLLIN | EPOLLRDHUP : 0u) | (write ? EPOLLOUT : 0u) | (exception ? EPOLLPRI : 0u);
}

EpollEventDispatcher::EpollEventDispatcher()
    : m_epoll(epoll_create1(EPOLL_CLOEXEC)), m_wakeFd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      m_ready(MaxReadyPerPass)
{
    if (m_epoll < 0 || m_wakeFd < 0)
        return;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = quint32(m_wakeFd); // generation 0
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &event) < 0) {
        close(m_wakeFd);
        m_wakeFd = -1;
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wakeFd >= 0)
        close(m_wakeFd);
    if (m_epoll >= 0)
        close(m_epoll);
}

bool EpollEventDispatcher::isUsable() const
{
    return m_epoll >= 0 && m_wakeFd >= 0;
}

void EpollEventDispatcher::startingUp()
{
    m_thread.store(QThread::currentThreadId(), std::memory_order_relaxed);
}

// ---- The loop -------------------------------------------------------------------------------------

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    Q_EMIT awake();
    m_postedToSelf = false;
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeSockets = !(flags & QEventLoop::ExcludeSocketNotifiers);
    bool canWait = flags & QEventLoop::WaitForMoreEvents;
    if (canWait)
        Q_EMIT aboutToBlock();
    if (m_interrupted.load(std::memory_order_relaxed))
        return false;
    // Something posted since sendPostedEvents() began (by this thread: wakeUp() did not write the
    // eventfd) is sent on the next pass, which must not wait first.
    canWait = canWait && !m_postedToSelf;
    const int timeoutMs = waitTimeoutMs(canWait, includeTimers);

    bool handled = false;
    if (includeSockets) {
        // Interrupted by a signal: nothing is ready, and the caller's next pass waits again.
        const int ready = epoll_wait(m_epoll, m_ready.data(), int(m_ready.size()), timeoutMs);
        handled = activateSocketEvents(std::max(ready, 0));
    } else {
        // Sockets wait for a later pass; only a wake-up or a timer ends this one's wait.
        pollfd wake{m_wakeFd, POLLIN, 0};
        if (poll(&wake, 1, timeoutMs) > 0) {
            drainWakeUps();
            handled = true;
        }
    }
    if (includeTimers)
        handled = activateTimers() || handled;
    return handled;
}

void EpollEventDispatcher::wakeUp()
{
    // This thread is awake and sends what is posted before it waits (processEvents()).
    if (QThread::currentThreadId() == m_thread.load(std::memory_order_relaxed)) {
        m_postedToSelf = true;
        return;
    }
    // One wake-up in the eventfd at a time: it is read before the loop looks at posted events.
    if (!m_wakeUpSent.exchange(true, std::memory_order_acq_rel)) {
        const quint64 one = 1;
        while (::write(m_wakeFd, &one, sizeof one) < 0 && errno == EINTR) {
        }
    }
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

// Read first, then allow the next write. The other order lost wake-ups for good: a wakeUp() between
// the two wrote, the read took its count too, and the flag stayed set with nothing in the eventfd,
// so no later wakeUp() wrote again. In this order a wakeUp() between the two writes nothing, but
// its event was posted before the flag clears, and the loop's next pass sends it.
void EpollEventDispatcher::drainWakeUps()
{
    quint64 count = 0;
    while (::read(m_wakeFd, &count, sizeof count) < 0 && errno == EINTR) {
    }
    m_wakeUpSent.store(false, std::memory_order_release);
}

// ---- Socket notifiers ------------------------------------------------------------------------------

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto [found, added] = m_watches.try_emplace(fd);
    Watch &watch = found->second;
    if (added) {
        if (++m_lastGeneration == 0) // 0 is the eventfd's
            ++m_lastGeneration;
        watch.generation = m_lastGeneration;
    }
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        watch.read = notifier;
        break;
    case QSocketNotifier::Write:
        watch.write = notifier;
        break;
    case QSocketNotifier::Exception:
        watch.exception = notifier;
        break;
    }
    if (!watch.known || watch.wanted() != watch.watched)
        updateWatch(fd, watch);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const auto found = m_watches.find(int(notifier->socket()));
    if (found == m_watches.end())
        return;
    Watch &watch = found->second;
    for (QSocketNotifier **slot : {&watch.read, &watch.write, &watch.exception}) {
        if (*slot == notifier)
            *slot = nullptr;
    }
    // At once, not when the event next arrives: the descriptor is usually closed next and its
    // number may come back for another socket, which must then be added afresh.
    updateWatch(found->first, watch);
}

// Tells the kernel what the descriptor's notifiers want, and forgets a descriptor nobody wants.
void EpollEventDispatcher::updateWatch(int fd, Watch &watch)
{
    const quint32 wanted = watch.wanted();
    if (wanted == 0) {
        // Fails when the descriptor was closed first (the kernel then dropped it already).
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        m_watches.erase(fd);
        return;
    }
    epoll_event event{};
    event.events = wanted;
    event.data.u64 = quint64(watch.generation) << 32 | quint32(fd);
    int result = epoll_ctl(m_epoll, watch.known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event);
    if (result < 0 && errno == EEXIST)
        result = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
    if (result < 0) {
        qWarning("quarry: cannot watch socket %d: %s", fd, strerror(errno));
        watch.known = false;
        return;
    }
    watch.watched = wanted;
    watch.known = true;
}

bool EpollEventDispatcher::activateSocketEvents(int ready)
{
    bool handled = false;
    for (int i = 0; i < ready; ++i) {
        const int fd = int(quint32(m_ready[i].data.u64));
        const quint32 generation = quint32(m_ready[i].data.u64 >> 32);
        const quint32 events = m_ready[i].events;
        if (generation == 0) { // the eventfd
            drainWakeUps();
            handled = true;
            continue;
        }
        // Looked up again before each notifier: the one before may have removed it, or closed its
        // descriptor and opened another with the same number (a different generation).
        const auto notifierFor = [this, fd, generation](QSocketNotifier *Watch::*slot) -> QSocketNotifier * {
            const auto found = m_watches.find(fd);
            return found != m_watches.end() && found->second.generation == generation ? found->second.*slot
                                                                                      : nullptr;
        };
        QEvent activation(QEvent::SockAct);
        if (events & ReadEvents) {
            if (QSocketNotifier *notifier = notifierFor(&Watch::read)) {
                QCoreApplication::sendEvent(notifier, &activation);
                handled = true;
            }
        }
        if (events & WriteEvents) {
            if (QSocketNotifier *notifier = notifierFor(&Watch::write)) {
                QCoreApplication::sendEvent(notifier, &activation);
                handled = true;
            }
        }
        if (events & ExceptionEvents) {
            if (QSocketNotifier *notifier = notifierFor(&Watch::exception)) {
                QCoreApplication::sendEvent(notifier, &activation);
                handled = true;
            }
        }
    }
    return handled;
}

// ---- Timers ------------------------------------------------------------------------------------------

EpollEventDispatcher::Clock::time_point EpollEventDispatcher::nextDeadline(const Timer &timer,
                                                                           Clock::time_point now)
{
    // A timer that fell behind (a long handler, a suspended machine) fires once, not once per
    // missed interval.
    const auto interval = std::chrono::milliseconds(timer.intervalMs);
    const Clock::time_point next = timer.deadline + interval;
    return next > now ? next : now + interval;
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 intervalMs, Qt::TimerType timerType,
                                         QObject *object)
{
    m_timers.push_back(
        {timerId, intervalMs, timerType, object, Clock::now() + std::chrono::milliseconds(intervalMs)});
}

std::vector<EpollEventDispatcher::Timer>::iterator EpollEventDispatcher::findTimer(int timerId)
{
    return std::find_if(m_timers.begin(), m_timers.end(),
                        [timerId](const Timer &t) { return t.id == timerId; });
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto found = findTimer(timerId);
    if (found == m_timers.end())
        return false;
    m_timers.erase(found);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    return std::erase_if(m_timers, [object](const Timer &t) { return t.object == object; }) > 0;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    for (const Timer &timer : m_timers) {
        if (timer.object == object)
            timers.append(TimerInfo(timer.id, int(timer.intervalMs), timer.type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto found = findTimer(timerId);
    if (found == m_timers.end())
        return -1;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(found->deadline - Clock::now());
    return int(std::max<qint64>(left.count(), 0));
}

// How long epoll_wait() may block: until the nearest timer, forever without one, not at all when
// the caller must not wait.
int EpollEventDispatcher::waitTimeoutMs(bool canWait, bool includeTimers) const
{
    if (!canWait)
        return 0;
    if (!includeTimers || m_timers.empty())
        return -1;
    const auto nearest =
        std::min_element(m_timers.begin(), m_timers.end(), [](const Timer &a, const Timer &b) {
            return a.deadline < b.deadline;
        })->deadline;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(nearest - Clock::now());
    return int(std::clamp<qint64>(left.count(), 0, std::numeric_limits<int>::max()));
}

// Each timer due now fires once; one registered or made due by a handler waits for the next pass.
bool EpollEventDispatcher::activateTimers()
{
    if (m_timers.empty())
        return false;
    const Clock::time_point now = Clock::now();
    m_dueTimers.clear();
    for (const Timer &timer : m_timers) {
        if (timer.deadline <= now && !timer.firing)
            m_dueTimers.push_back(timer.id);
    }
    for (const int id : m_dueTimers) {
        // A handler before this one may have stopped or restarted it.
        auto found = findTimer(id);
        if (found == m_timers.end() || found->deadline > now || found->firing)
            continue;
        found->deadline = nextDeadline(*found, now);
        found->firing = true;
        QObject *object = found->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        // The handler may have killed the timer, or killed it and got its id again for a new one.
        found = findTimer(id);
        if (found != m_timers.end())
            found->firing = false;
    }
    return !m_dueTimers.empty();
}

} // namespace quarry::http

#endif // Q_OS_LINUX
