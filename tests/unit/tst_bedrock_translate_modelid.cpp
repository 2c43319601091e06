// Model ids as URL path segments, against vectors from botocore's percent_encode.
#include "providers/bedrock/converse/ModelId.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

class TestTranslateModelId : public QObject
{
    Q_OBJECT

private slots:
    void encodes_data();
    void encodes();
};

void TestTranslateModelId::encodes_data()
{
    QTest::addColumn<QString>("modelId");
    QTest::addColumn<QByteArray>("segment");
    const QJsonArray vectors =
        QJsonDocument::fromJson(quarry::test::readData(u"translate/model-ids.json"_s)).array();
    QVERIFY(vectors.size() >= 5);
    for (const QJsonValue &vector : vectors) {
        const QString id = vector[0].toString();
        QTest::newRow(qPrintable(id)) << id << vector[1].toString().toUtf8();
    }
}

void TestTranslateModelId::encodes()
{
    QFETCH(QString, modelId);
    QFETCH(QByteArray, segment);
    QCOMPARE(encodeModelIdForPath(modelId), segment);
    QCOMPARE(decodeModelIdFromPath(segment), modelId);
}

QTEST_GUILESS_MAIN(TestTranslateModelId)
#include "tst_bedrock_translate_modelid.moc"
