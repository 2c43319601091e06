// CachingCredentialProvider: caches another provider's credentials and refreshes them before they expire.
#pragma once

#include "aws/credentials/CredentialProvider.h"

#include <QDateTime>

#include <chrono>
#include <memory>
#include <optional>

namespace quarry::aws {

// Single-threaded: use it on one thread (the one whose QNetworkAccessManager the inner provider uses).
class CachingCredentialProvider final : public CredentialProvider
{
public:
    using Clock = std::function<QDateTime()>;
    static constexpr std::chrono::seconds kDefaultMargin{5 * 60};

    // `clock` empty = QDateTime::currentDateTimeUtc().
    explicit CachingCredentialProvider(std::unique_ptr<CredentialProvider> inner, Clock clock = {},
                                       std::chrono::seconds refreshMargin = kDefaultMargin);
    ~CachingCredentialProvider() override;

    // Cached credentials while now + margin < expiration; otherwise one refresh that every caller
    // arriving meanwhile waits for. If a refresh fails while the cached credentials have not yet
    // expired, those are returned (and the next call tries again).
    void resolve(Callback done) override;

    // Drop the cache: the next resolve() refreshes (after an ExpiredTokenException from AWS).
    void invalidate();

    std::optional<ResolvedCredentials> cached() const;
    bool isRefreshing() const;

private:
    struct State;

    QDateTime now() const;
    bool isFresh(const ResolvedCredentials &credentials) const;
    void startRefresh();

    std::unique_ptr<CredentialProvider> m_inner;
    Clock m_clock;
    std::chrono::seconds m_margin;
    std::shared_ptr<State> m_state;
};

} // namespace quarry::aws
