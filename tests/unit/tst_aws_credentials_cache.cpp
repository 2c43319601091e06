// CachingCredentialProvider: refresh before expiry with an injected clock, single-flight refresh,
// invalidate().
#include "aws/credentials/CachingCredentialProvider.h"

#include <QTest>
#include <QTimeZone>
#include <QTimer>

#include <deque>

using namespace Qt::StringLiterals;
using namespace quarry::aws;
using quarry::Result;

namespace {

// A provider whose answers the test releases by hand, counting how often it was asked.
class ScriptedProvider final : public CredentialProvider
{
public:
    int calls = 0;
    std::deque<Callback> pending;

    void resolve(Callback done) override
    {
        ++calls;
        pending.push_back(std::move(done));
    }
    void answer(Result<ResolvedCredentials> result)
    {
        Callback done = std::move(pending.front());
        pending.pop_front();
        done(std::move(result));
    }
};

ResolvedCredentials credentials(const QString &keyId, const QDateTime &expiration)
{
    ResolvedCredentials resolved;
    resolved.aws = AwsCredentials{keyId, u"secret-"_s + keyId, u"token-"_s + keyId};
    resolved.expiration = expiration;
    resolved.source = u"test"_s;
    return resolved;
}

} // namespace

class TestAwsCredentialsCache : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void servesCacheUntilMarginThenRefreshes();
    void fiftyConcurrentCallersShareOneRefresh();
    void failedRefreshKeepsStillValidCredentials();
    void failedRefreshAfterExpiryIsAnError();
    void invalidateForcesOneRefresh();
    void nonExpiringCredentialsAreNeverRefreshed();
    void synchronousProviderWorks();

private:
    QDateTime m_now;
    ScriptedProvider *m_inner = nullptr;
    std::unique_ptr<CachingCredentialProvider> m_cache;
    QStringList resolveKeys(int callers = 1);
};

void TestAwsCredentialsCache::init()
{
    m_now = QDateTime(QDate(2025, 3, 1), QTime(12, 0), QTimeZone::utc());
    auto inner = std::make_unique<ScriptedProvider>();
    m_inner = inner.get();
    m_cache = std::make_unique<CachingCredentialProvider>(std::move(inner), [this] { return m_now; });
}

// Starts `callers` resolves and returns the access key ids delivered so far.
QStringList TestAwsCredentialsCache::resolveKeys(int callers)
{
    auto keys = std::make_shared<QStringList>();
    for (int i = 0; i < callers; ++i) {
        m_cache->resolve([keys](Result<ResolvedCredentials> result) {
            keys->append(result ? result->aws.accessKeyId : u"error: "_s + result.error());
        });
    }
    return *keys;
}

void TestAwsCredentialsCache::servesCacheUntilMarginThenRefreshes()
{
    const QDateTime expiry = m_now.addSecs(60 * 60);
    auto keys = std::make_shared<QStringList>();
    const auto collect = [keys](Result<ResolvedCredentials> r) { keys->append(r->aws.accessKeyId); };
    m_cache->resolve(collect);
    QCOMPARE(m_inner->calls, 1);
    m_inner->answer(credentials(u"FIRST"_s, expiry));
    QCOMPARE(*keys, QStringList{u"FIRST"_s});

    m_now = expiry.addSecs(-5 * 60 - 1); // just outside the 5-minute margin
    m_cache->resolve(collect);
    QCOMPARE(m_inner->calls, 1);
    QCOMPARE(keys->size(), 2);

    m_now = expiry.addSecs(-5 * 60); // inside the margin: refresh before they expire
    m_cache->resolve(collect);
    QCOMPARE(m_inner->calls, 2);
    QCOMPARE(keys->size(), 2); // waits for the refresh
    m_inner->answer(credentials(u"SECOND"_s, expiry.addSecs(3600)));
    QCOMPARE(*keys, (QStringList{u"FIRST"_s, u"FIRST"_s, u"SECOND"_s}));
}

void TestAwsCredentialsCache::fiftyConcurrentCallersShareOneRefresh()
{
    QCOMPARE(resolveKeys(50).size(), 0);
    QCOMPARE(m_inner->calls, 1);
    QVERIFY(m_cache->isRefreshing());
    auto keys = std::make_shared<QStringList>();
    for (int i = 0; i < 50; ++i)
        m_cache->resolve([keys](Result<ResolvedCredentials> r) { keys->append(r->aws.accessKeyId); });
    QCOMPARE(m_inner->calls, 1);
    m_inner->answer(credentials(u"ONCE"_s, m_now.addSecs(3600)));
    QCOMPARE(keys->size(), 50);
    QCOMPARE(keys->count(u"ONCE"_s), 50);
    QCOMPARE(m_inner->calls, 1);
    QVERIFY(!m_cache->isRefreshing());
}

void TestAwsCredentialsCache::failedRefreshKeepsStillValidCredentials()
{
    const QDateTime expiry = m_now.addSecs(3600);
    resolveKeys();
    m_inner->answer(credentials(u"OLD"_s, expiry));
    m_now = expiry.addSecs(-60); // in the margin, not yet expired
    auto keys = std::make_shared<QStringList>();
    m_cache->resolve(
        [keys](Result<ResolvedCredentials> r) { keys->append(r ? r->aws.accessKeyId : r.error()); });
    m_inner->answer(Result<ResolvedCredentials>::failure(u"STS is down"_s));
    QCOMPARE(*keys, QStringList{u"OLD"_s});
    // The next call tries again rather than trusting the old ones until they lapse.
    m_cache->resolve(
        [keys](Result<ResolvedCredentials> r) { keys->append(r ? r->aws.accessKeyId : r.error()); });
    QCOMPARE(m_inner->calls, 3);
}

void TestAwsCredentialsCache::failedRefreshAfterExpiryIsAnError()
{
    const QDateTime expiry = m_now.addSecs(3600);
    resolveKeys();
    m_inner->answer(credentials(u"OLD"_s, expiry));
    m_now = expiry.addSecs(1);
    auto keys = std::make_shared<QStringList>();
    m_cache->resolve(
        [keys](Result<ResolvedCredentials> r) { keys->append(r ? r->aws.accessKeyId : r.error()); });
    m_inner->answer(Result<ResolvedCredentials>::failure(u"STS is down"_s));
    QCOMPARE(*keys, QStringList{u"STS is down"_s});
    QVERIFY(!m_cache->cached());
}

void TestAwsCredentialsCache::invalidateForcesOneRefresh()
{
    resolveKeys();
    m_inner->answer(credentials(u"REJECTED"_s, m_now.addSecs(3600)));
    resolveKeys();
    QCOMPARE(m_inner->calls, 1);
    m_cache->invalidate(); // AWS said ExpiredTokenException
    resolveKeys(3);
    QCOMPARE(m_inner->calls, 2);
    m_inner->answer(credentials(u"NEW"_s, m_now.addSecs(3600)));
    QCOMPARE(resolveKeys(), QStringList{u"NEW"_s});
}

void TestAwsCredentialsCache::nonExpiringCredentialsAreNeverRefreshed()
{
    resolveKeys();
    m_inner->answer(credentials(u"LONGTERM"_s, QDateTime()));
    m_now = m_now.addYears(5);
    QCOMPARE(resolveKeys(), QStringList{u"LONGTERM"_s});
    QCOMPARE(m_inner->calls, 1);
}

void TestAwsCredentialsCache::synchronousProviderWorks()
{
    class Immediate final : public CredentialProvider
    {
    public:
        int calls = 0;
        void resolve(Callback done) override
        {
            ++calls;
            done(credentials(u"SYNC"_s, QDateTime()));
        }
    };
    auto inner = std::make_unique<Immediate>();
    Immediate *raw = inner.get();
    CachingCredentialProvider cache(std::move(inner));
    QStringList keys;
    for (int i = 0; i < 3; ++i)
        cache.resolve([&keys](Result<ResolvedCredentials> r) { keys.append(r->aws.accessKeyId); });
    QCOMPARE(keys, (QStringList{u"SYNC"_s, u"SYNC"_s, u"SYNC"_s}));
    QCOMPARE(raw->calls, 1);
}

QTEST_GUILESS_MAIN(TestAwsCredentialsCache)
#include "tst_aws_credentials_cache.moc"
