// ExchangeReaper: batched, wake-up-free deletion of finished exchanges.
#include "gateway/ExchangeReaper.h"

#include <QThread>

namespace quarry::gateway {

ExchangeReaper::ExchangeReaper()
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &ExchangeReaper::reap);
}

ExchangeReaper::~ExchangeReaper()
{
    qDeleteAll(std::exchange(m_retired, {}));
}

void ExchangeReaper::retire(QObject *exchange)
{
    m_retired.push_back(exchange);
    if (!m_timer.isActive())
        m_timer.start();
}

void ExchangeReaper::reap()
{
    // As deleteLater() does: a nested event loop (a modal wait) may run while a retired exchange
    // is still on the stack below it, so deletion waits for the outermost loop.
    if (QThread::currentThread()->loopLevel() > 1) {
        m_timer.start(1);
        return;
    }
    // The list is taken first: a destructor that retired another exchange would otherwise add to
    // the vector being walked; that one waits for the next timeout.
    m_timer.setInterval(0);
    const std::vector<QObject *> retired = std::exchange(m_retired, {});
    qDeleteAll(retired);
}

} // namespace quarry::gateway
