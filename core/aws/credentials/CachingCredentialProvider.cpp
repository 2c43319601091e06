// CachingCredentialProvider: a cache plus a single-flight refresh with a queue of waiting callers.
#include "aws/credentials/CachingCredentialProvider.h"

#include <vector>

namespace quarry::aws {

// Shared with the in-flight refresh callback, which may outlive the provider.
struct CachingCredentialProvider::State
{
    std::optional<ResolvedCredentials> cached;
    std::vector<Callback> waiting;
    bool refreshing = false;
    bool destroyed = false;
};

CachingCredentialProvider::CachingCredentialProvider(std::unique_ptr<CredentialProvider> inner, Clock clock,
                                                     std::chrono::seconds refreshMargin)
    : m_inner(std::move(inner)), m_clock(std::move(clock)), m_margin(refreshMargin),
      m_state(std::make_shared<State>())
{}

CachingCredentialProvider::~CachingCredentialProvider()
{
    m_state->destroyed = true;
}

QDateTime CachingCredentialProvider::now() const
{
    return m_clock ? m_clock() : QDateTime::currentDateTimeUtc();
}

bool CachingCredentialProvider::isFresh(const ResolvedCredentials &credentials) const
{
    return !credentials.expiration.isValid() || now().addSecs(m_margin.count()) < credentials.expiration;
}

void CachingCredentialProvider::resolve(Callback done)
{
    if (m_state->cached && isFresh(*m_state->cached))
        return done(*m_state->cached);
    m_state->waiting.push_back(std::move(done));
    if (!m_state->refreshing)
        startRefresh();
}

void CachingCredentialProvider::startRefresh()
{
    m_state->refreshing = true;
    std::weak_ptr<State> weak = m_state;
    const Clock clock = m_clock;
    m_inner->resolve([weak, clock](Result<ResolvedCredentials> result) {
        const std::shared_ptr<State> state = weak.lock();
        if (!state || state->destroyed)
            return;
        state->refreshing = false;
        const QDateTime now = clock ? clock() : QDateTime::currentDateTimeUtc();
        if (result) {
            state->cached = *result;
        } else if (state->cached && state->cached->expiration.isValid() && now < state->cached->expiration) {
            result = *state->cached; // still valid for a little while: keep serving, retry next time
        } else {
            state->cached.reset();
        }
        // Swapped out first: a callback may call resolve() again.
        std::vector<Callback> waiting;
        waiting.swap(state->waiting);
        for (Callback &callback : waiting)
            callback(result);
    });
}

void CachingCredentialProvider::invalidate()
{
    m_state->cached.reset();
}

std::optional<ResolvedCredentials> CachingCredentialProvider::cached() const
{
    return m_state->cached;
}

bool CachingCredentialProvider::isRefreshing() const
{
    return m_state->refreshing;
}

} // namespace quarry::aws
