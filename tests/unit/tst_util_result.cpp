// Result<T>: a value or an error, and what a temporary Result hands out.
#include "TestSupport.h"

#include "util/Result.h"

#include <QList>
#include <QTest>

#include <type_traits>

using namespace Qt::StringLiterals;
using namespace quarry;

namespace {

Result<QList<QString>> loaded()
{
    return QList<QString>{u"first"_s, u"second"_s, u"third"_s};
}

// A range-for keeps the range alive, not the temporary it came from: a reference into the
// Result would dangle before the loop body ran.
static_assert(std::is_same_v<decltype(*loaded()), QList<QString>>);
static_assert(std::is_same_v<decltype(loaded().value()), QList<QString>>);
// A named Result still hands out references, without a copy.
static_assert(std::is_same_v<decltype(*std::declval<Result<QList<QString>> &>()), QList<QString> &>);
static_assert(std::is_same_v<decltype(std::declval<const Result<QList<QString>> &>().value()),
                             const QList<QString> &>);

} // namespace

class TestUtilResult : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aTemporarysValueOutlivesIt()
    {
        QStringList seen;
        for (const QString &item : *loaded())
            seen.append(item);
        QCOMPARE(seen, (QStringList{u"first"_s, u"second"_s, u"third"_s}));
        const QList<QString> &kept = loaded().value();
        QCOMPARE(kept.size(), 3);
    }

    void aFailureCarriesItsMessage()
    {
        const Result<int> failed = Result<int>::failure(u"the keychain did not answer"_s);
        QVERIFY(!failed);
        QCOMPARE(failed.error(), u"the keychain did not answer"_s);
        const Result<int> fine = 7;
        QVERIFY(fine.ok());
        QCOMPARE(*fine, 7);
    }
};

QUARRY_TEST_GUILESS_MAIN(TestUtilResult)
#include "tst_util_result.moc"
