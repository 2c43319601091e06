// The typed Converse body and its JSON writer, read back by Qt's parser (an implementation not
// written here). Shapes from the Bedrock API reference (Converse: Message, ContentBlock,
// ToolConfiguration, InferenceConfiguration).
#include "providers/bedrock/converse/ConverseBody.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

namespace {

QJsonObject written(const ConverseBody &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body.toJson(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("not a JSON object: %s in %s", qPrintable(error.errorString()), body.toJson().constData());
    return document.object();
}

QJsonObject parsed(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestConverseBody : public QObject
{
    Q_OBJECT

private slots:
    void everyBlockKind();
    void textIsEscaped();
    void clientBytesAreEscaped();
    void sameRoleTurnsMerge();
    void inferenceAndTools();
    void thinkingRaisesMaxTokens();
};

void TestConverseBody::everyBlockKind()
{
    ConverseBody body;
    ConverseContent result;
    result.kind = ConverseContent::Kind::ToolResult;
    result.toolUseId = u"t1"_s;
    result.isError = true;
    result.result = {{ConverseResultItem::Kind::Text, u"fail"_s, {}, {}},
                     {ConverseResultItem::Kind::Json, {}, R"({"a":[1,2]})"_ba, {}},
                     {ConverseResultItem::Kind::Image, {}, {}, ConverseImage{u"png"_s, "iVBO"_ba}}};
    body.addTurn(false, {ConverseContent::ofText(u"hi"_s), ConverseContent::ofImage({u"jpeg"_s, "/9j/"_ba}),
                         ConverseContent::cachePoint()});
    body.addTurn(true, {ConverseContent::ofReasoning({u"think"_s, u"sig"_s, {}}),
                        ConverseContent::ofReasoning({{}, {}, "ZW5j"_ba}),
                        ConverseContent::ofToolUse(u"t1"_s, u"get_weather"_s, R"({"city":"Paris"})"_ba)});
    body.addTurn(false, {result});
    body.system = {ConverseContent::ofText(u"Be brief."_s), ConverseContent::cachePoint()};
    QCOMPARE(written(body), parsed(R"({
        "messages":[
          {"role":"user","content":[{"text":"hi"},{"image":{"format":"jpeg","source":{"bytes":"/9j/"}}},
                                    {"cachePoint":{"type":"default"}}]},
          {"role":"assistant","content":[
            {"reasoningContent":{"reasoningText":{"text":"think","signature":"sig"}}},
            {"reasoningContent":{"redactedContent":"ZW5j"}},
            {"toolUse":{"toolUseId":"t1","name":"get_weather","input":{"city":"Paris"}}}]},
          {"role":"user","content":[{"toolResult":{"toolUseId":"t1","status":"error","content":[
            {"text":"fail"},{"json":{"a":[1,2]}},{"image":{"format":"png","source":{"bytes":"iVBO"}}}]}}]}],
        "system":[{"text":"Be brief."},{"cachePoint":{"type":"default"}}]})"));
}

void TestConverseBody::textIsEscaped()
{
    const QString text = u"\"quoted\" back\\slash\nline\ttab \u0001 é 漢字 🎉 </script>"_s;
    ConverseBody body;
    body.addTurn(false, {ConverseContent::ofText(text)});
    body.stopSequences = {u"\"END\""_s};
    const QJsonObject json = written(body);
    QCOMPARE(json[u"messages"][0][u"content"][0][u"text"].toString(), text);
    QCOMPARE(json[u"inferenceConfig"][u"stopSequences"][0].toString(), u"\"END\""_s);
}

// Image data and redacted reasoning come from clients, and not every client API checks them.
void TestConverseBody::clientBytesAreEscaped()
{
    ConverseBody body;
    body.addTurn(true, {ConverseContent::ofReasoning({{}, {}, R"(a"b\c)"_ba})});
    body.addTurn(false, {ConverseContent::ofImage({u"png"_s, "QUJD\"}]}\n"_ba})});
    const QJsonObject json = written(body);
    QCOMPARE(json[u"messages"][0][u"content"][0][u"reasoningContent"][u"redactedContent"].toString(),
             uR"(a"b\c)"_s);
    QCOMPARE(json[u"messages"][1][u"content"][0][u"image"][u"source"][u"bytes"].toString(), u"QUJD\"}]}\n"_s);
}

void TestConverseBody::sameRoleTurnsMerge()
{
    ConverseBody body;
    body.addTurn(false, {ConverseContent::ofText(u"a"_s)});
    body.addTurn(true, {}); // dropped: its neighbours are then one turn
    body.addTurn(false, {ConverseContent::ofText(u"b"_s)});
    body.addTurn(true, {ConverseContent::ofText(u"c"_s)});
    QCOMPARE(written(body)[u"messages"].toArray(),
             parsed(R"({"m":[{"role":"user","content":[{"text":"a"},{"text":"b"}]},
                             {"role":"assistant","content":[{"text":"c"}]}]})")[u"m"]
                 .toArray());
}

void TestConverseBody::inferenceAndTools()
{
    ConverseBody body;
    body.addTurn(false, {ConverseContent::ofText(u"x"_s)});
    QCOMPARE(written(body), parsed(R"({"messages":[{"role":"user","content":[{"text":"x"}]}]})"));
    body.maxTokens = 100;
    body.temperature = 0.7;
    body.topP = 1.0;
    body.tools = {{u"get_weather"_s, u"Weather."_s, R"({"type":"object"})"_ba, false},
                  {{}, {}, {}, true},
                  {u"no_description"_s, {}, R"({"type":"object","properties":{}})"_ba, false}};
    body.toolChoice = {ConverseToolChoice::Mode::Tool, u"get_weather"_s};
    body.additionalFields = QJsonObject{{u"top_k"_s, 5}};
    const QJsonObject json = written(body);
    QCOMPARE(json[u"inferenceConfig"].toObject(), parsed(R"({"maxTokens":100,"temperature":0.7,"topP":1})"));
    QCOMPARE(json[u"toolConfig"].toObject(), parsed(R"({"tools":[
        {"toolSpec":{"name":"get_weather","description":"Weather.","inputSchema":{"json":{"type":"object"}}}},
        {"cachePoint":{"type":"default"}},
        {"toolSpec":{"name":"no_description","inputSchema":{"json":{"type":"object","properties":{}}}}}],
        "toolChoice":{"tool":{"name":"get_weather"}}})"));
    QCOMPARE(json[u"additionalModelRequestFields"].toObject(), parsed(R"({"top_k":5})"));
    body.toolChoice = {ConverseToolChoice::Mode::Any, {}};
    QCOMPARE(written(body)[u"toolConfig"][u"toolChoice"].toObject(), parsed(R"({"any":{}})"));
}

void TestConverseBody::thinkingRaisesMaxTokens()
{
    const QJsonObject thinking{{u"type"_s, u"enabled"_s}, {u"budget_tokens"_s, 1024}};
    ConverseBody unset;
    unset.applyThinking(thinking);
    QCOMPARE(unset.maxTokens.value_or(0), 1024 + 4096);
    QCOMPARE(written(unset)[u"additionalModelRequestFields"][u"thinking"].toObject(), thinking);
    ConverseBody small;
    small.maxTokens = 500;
    small.applyThinking(thinking);
    QCOMPARE(small.maxTokens.value_or(0), 1024 + 500);
    ConverseBody roomy;
    roomy.maxTokens = 8000;
    roomy.applyThinking(thinking);
    QCOMPARE(roomy.maxTokens.value_or(0), 8000);
}

QTEST_GUILESS_MAIN(TestConverseBody)
#include "tst_bedrock_converse_body.moc"
