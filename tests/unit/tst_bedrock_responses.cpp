// Tests for the Responses API translation: request items into the chat request Bedrock's Converse
// body is built from, and ConverseStream events into the Responses event sequence (names and
// fields from the OpenAI API reference). The OpenAI SDK checks the same against a real server in
// tests/js/responses.test.mjs.
#include "providers/bedrock/responses/ResponsesOutput.h"
#include "providers/bedrock/responses/ResponsesRequest.h"
#include "providers/bedrock/responses/ResponsesStreamTranslator.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

namespace {

ResponsesRequest parsed(const QByteArray &body)
{
    auto request = ResponsesRequest::parse(body);
    if (!request.ok())
        qFatal("%s", qPrintable(request.error()));
    return *request;
}

ChatRequest chatOf(const QByteArray &body, const QJsonArray &history = {})
{
    auto chat = parsed(body).toChatRequest(history);
    if (!chat.ok())
        qFatal("%s", qPrintable(chat.error()));
    return *chat;
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// The SSE events in `stream`: (event name, data object).
QList<QPair<QString, QJsonObject>> events(const QByteArray &stream)
{
    QList<QPair<QString, QJsonObject>> out;
    for (const QByteArray &frame : stream.split('\n')) {
        if (frame.startsWith("event: "))
            out.append({QString::fromUtf8(frame.mid(7)), {}});
        else if (frame.startsWith("data: ") && !out.isEmpty())
            out.last().second = QJsonDocument::fromJson(frame.mid(6)).object();
    }
    return out;
}

} // namespace

class TestBedrockResponses : public QObject
{
    Q_OBJECT

private slots:
    void stringInputAndInstructions()
    {
        const ChatRequest chat =
            chatOf(R"({"model":"m","input":"hi","instructions":"be brief","max_output_tokens":50})");
        QCOMPARE(chat.messages.size(), 2);
        QCOMPARE(chat.messages[0].role, ChatRole::System);
        QCOMPARE(chat.messages[0].content[0].text, u"be brief"_s);
        QCOMPARE(chat.messages[1].role, ChatRole::User);
        QCOMPARE(chat.maxTokens, 50);
    }

    void oneAssistantTurnFromReasoningTextAndCalls()
    {
        const QString encrypted = ResponsesOutput::encodeReasoning(QJsonArray{
            QJsonObject{{u"type"_s, u"thinking"_s}, {u"thinking"_s, u"hmm"_s}, {u"signature"_s, u"sig"_s}}});
        const QJsonArray input{
            QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"weather?"_s}},
            QJsonObject{
                {u"type"_s, u"reasoning"_s}, {u"id"_s, u"rs_1"_s}, {u"encrypted_content"_s, encrypted}},
            QJsonObject{{u"type"_s, u"message"_s},
                        {u"role"_s, u"assistant"_s},
                        {u"content"_s, QJsonArray{QJsonObject{{u"type"_s, u"output_text"_s},
                                                              {u"text"_s, u"Let me look."_s}}}}},
            QJsonObject{{u"type"_s, u"function_call"_s},
                        {u"call_id"_s, u"c1"_s},
                        {u"name"_s, u"get_weather"_s},
                        {u"arguments"_s, u"{\"city\":\"Oslo\"}"_s}},
            QJsonObject{{u"type"_s, u"custom_tool_call"_s},
                        {u"call_id"_s, u"c2"_s},
                        {u"name"_s, u"sql"_s},
                        {u"input"_s, u"SELECT 1"_s}},
            QJsonObject{
                {u"type"_s, u"function_call_output"_s}, {u"call_id"_s, u"c1"_s}, {u"output"_s, u"sunny"_s}},
            QJsonObject{
                {u"type"_s, u"custom_tool_call_output"_s}, {u"call_id"_s, u"c2"_s}, {u"output"_s, u"1"_s}},
        };
        const ChatRequest chat = chatOf(json({{u"model"_s, u"m"_s}, {u"input"_s, input}}));
        QCOMPARE(chat.messages.size(), 4); // user, assistant (reasoning + text + 2 calls), tool, tool
        const ChatMessage &assistant = chat.messages[1];
        QCOMPARE(assistant.role, ChatRole::Assistant);
        QCOMPARE(assistant.reasoning.size(), 1);
        QCOMPARE(assistant.reasoning[0].signature, u"sig"_s);
        QCOMPARE(assistant.content[0].text, u"Let me look."_s);
        QCOMPARE(assistant.toolCalls.size(), 2);
        QCOMPARE(assistant.toolCalls[1].arguments, u"{\"input\":\"SELECT 1\"}"_s);
        QCOMPARE(chat.messages[2].toolCallId, u"c1"_s);
        QCOMPARE(chat.messages[3].toolCallId, u"c2"_s);
    }

    void historyComesFirst()
    {
        const QJsonArray history{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"earlier"_s}}};
        const ChatRequest chat = chatOf(R"({"input":"now","instructions":"sys"})", history);
        QCOMPARE(chat.messages.size(), 3);
        QCOMPARE(chat.messages[1].content[0].text, u"earlier"_s);
        QCOMPARE(chat.messages[2].content[0].text, u"now"_s);
    }

    void toolsChoiceFormatAndEffort()
    {
        const QByteArray tools =
            R"([{"type":"function","name":"f","parameters":{"type":"object"}},)"
            R"({"type":"custom","name":"c","description":"freeform",)"
            R"("format":{"type":"grammar","syntax":"lark","definition":"start: /a+/"}}])";
        const ResponsesRequest request =
            parsed(R"({"input":"x","tools":)" + tools +
                   R"(,"tool_choice":{"type":"function","name":"f"},)"
                   R"("text":{"format":{"type":"json_schema","name":"n","schema":{"type":"object"}}},)"
                   R"("reasoning":{"effort":"low"},"parallel_tool_calls":false,"user":"u"})");
        QCOMPARE(request.customTools, QSet<QString>{u"c"_s});
        QCOMPARE(request.droppedParameters, (QStringList{u"parallel_tool_calls"_s, u"user"_s})); // key order
        const ChatRequest chat = *request.toChatRequest({});
        QCOMPARE(chat.tools.size(), 2);
        QVERIFY(chat.tools[1].description.contains(u"start: /a+/"_s));
        QCOMPARE(QJsonDocument::fromJson(chat.tools[1].parameters)[u"required"].toArray(),
                 QJsonArray{u"input"_s});
        QCOMPARE(chat.toolChoice.mode, ToolChoice::Mode::Named);
        QVERIFY(chat.responseFormat.wantsJson());
        QVERIFY(!chat.thinking.isEmpty());
    }

    void refusalsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("hosted tool") << QByteArray(R"({"input":"x","tools":[{"type":"web_search"}]})")
                                     << u"tools[0].type"_s;
        QTest::newRow("item reference")
            << QByteArray(R"({"input":[{"type":"item_reference","id":"x"}]})") << u"input[0].type"_s;
        QTest::newRow("bad role") << QByteArray(R"({"input":[{"role":"robot","content":"x"}]})")
                                  << u"input[0].role"_s;
        QTest::newRow("file image")
            << QByteArray(R"({"input":[{"role":"user","content":[{"type":"input_image","file_id":"f"}]}]})")
            << u"input[0].content[0].image_url"_s;
        QTest::newRow("background") << QByteArray(R"({"input":"x","background":true})") << u"background"_s;
        QTest::newRow("no input") << QByteArray(R"({"model":"m"})") << u"input: required"_s;
    }

    void refusalsNameTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        auto request = ResponsesRequest::parse(body);
        QString error = request.ok() ? QString() : request.error();
        if (request.ok()) {
            const auto chat = request->toChatRequest({});
            error = chat.ok() ? QString() : chat.error();
        }
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void foreignEncryptedReasoningIsLeftOut()
    {
        QVERIFY(ResponsesOutput::decodeReasoning(u"gAAAAABsomethingOpenAI"_s).isEmpty());
        const QJsonArray blocks{QJsonObject{{u"type"_s, u"redacted_thinking"_s}, {u"data"_s, u"abc"_s}}};
        QCOMPARE(ResponsesOutput::decodeReasoning(ResponsesOutput::encodeReasoning(blocks)), blocks);
    }

    void streamEventsInOrder()
    {
        ResponseMapping mapping;
        ResponsesStreamTranslator translator(QJsonObject{{u"id"_s, u"resp_1"_s}}, mapping, {}, true);
        QByteArray out;
        const auto feed = [&](const char *type, const char *payload) {
            out += translator.onEvent(QString::fromLatin1(type), payload);
        };
        feed("messageStart", R"({"role":"assistant"})");
        feed("contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"think"}}})");
        feed("contentBlockDelta",
             R"({"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"sig"}}})");
        feed("contentBlockStop", R"({"contentBlockIndex":0})");
        feed("contentBlockDelta", R"({"contentBlockIndex":1,"delta":{"text":"Hi"}})");
        feed("contentBlockStop", R"({"contentBlockIndex":1})");
        feed("contentBlockStart",
             R"({"contentBlockIndex":2,"start":{"toolUse":{"toolUseId":"t1","name":"f"}}})");
        // Plain literals: moc's lexer misreads a backslash inside a raw string.
        feed("contentBlockDelta",
             "{\"contentBlockIndex\":2,\"delta\":{\"toolUse\":{\"input\":\"{\\\"a\\\":\"}}}");
        feed("contentBlockDelta", "{\"contentBlockIndex\":2,\"delta\":{\"toolUse\":{\"input\":\"1}\"}}}");
        feed("contentBlockStop", R"({"contentBlockIndex":2})");
        feed("messageStop", R"({"stopReason":"tool_use"})");
        feed("metadata", R"({"usage":{"inputTokens":3,"outputTokens":4,"totalTokens":7}})");
        out += translator.finish();
        const auto all = events(out);
        QStringList names;
        for (qsizetype i = 0; i < all.size(); ++i) {
            names.append(all[i].first);
            QCOMPARE(all[i].second.value(u"sequence_number"_s).toInt(), int(i));
            QCOMPARE(all[i].second.value(u"type"_s).toString(), all[i].first);
        }
        QCOMPARE(names, (QStringList{u"response.created"_s,
                                     u"response.in_progress"_s,
                                     u"response.output_item.added"_s,
                                     u"response.reasoning_summary_part.added"_s,
                                     u"response.reasoning_summary_text.delta"_s,
                                     u"response.reasoning_summary_text.done"_s,
                                     u"response.reasoning_summary_part.done"_s,
                                     u"response.output_item.done"_s,
                                     u"response.output_item.added"_s,
                                     u"response.content_part.added"_s,
                                     u"response.output_text.delta"_s,
                                     u"response.output_text.done"_s,
                                     u"response.content_part.done"_s,
                                     u"response.output_item.done"_s,
                                     u"response.output_item.added"_s,
                                     u"response.function_call_arguments.delta"_s,
                                     u"response.function_call_arguments.delta"_s,
                                     u"response.function_call_arguments.done"_s,
                                     u"response.output_item.done"_s,
                                     u"response.completed"_s}));
        const QJsonObject completed = all.last().second.value(u"response"_s).toObject();
        const QJsonArray output = completed.value(u"output"_s).toArray();
        QCOMPARE(output.size(), 3);
        QCOMPARE(output[2].toObject().value(u"arguments"_s).toString(), u"{\"a\":1}"_s);
        QCOMPARE(output[2].toObject().value(u"call_id"_s).toString(), u"t1"_s);
        QCOMPARE(completed.value(u"usage"_s).toObject().value(u"total_tokens"_s).toInt(), 7);
        const QJsonArray replay =
            ResponsesOutput::decodeReasoning(output[0].toObject().value(u"encrypted_content"_s).toString());
        QCOMPARE(replay.first().toObject().value(u"signature"_s).toString(), u"sig"_s);
        QCOMPARE(replay.first().toObject().value(u"thinking"_s).toString(), u"think"_s);
    }

    void streamCutShortFails()
    {
        ResponsesStreamTranslator translator({}, {}, {}, false);
        QByteArray out = translator.onEvent(u"messageStart"_s, "{}");
        out += translator.onEvent(u"contentBlockDelta"_s, R"({"contentBlockIndex":0,"delta":{"text":"Hi"}})");
        out += translator.finish();
        const auto all = events(out);
        QCOMPARE(all[all.size() - 2].first, u"response.failed"_s);
        QCOMPARE(all.last().first, u"error"_s);
        QVERIFY(translator.failed());
    }

    void maxTokensIsIncomplete()
    {
        ResponsesStreamTranslator translator({}, {}, {}, false);
        QByteArray out = translator.onEvent(u"messageStart"_s, "{}");
        out += translator.onEvent(u"messageStop"_s, R"({"stopReason":"max_tokens"})");
        out += translator.finish();
        const auto last = events(out).last();
        QCOMPARE(last.first, u"response.incomplete"_s);
        QCOMPARE(last.second.value(u"response"_s)[u"incomplete_details"_s][u"reason"_s].toString(),
                 u"max_output_tokens"_s);
    }
};

QUARRY_TEST_GUILESS_MAIN(TestBedrockResponses)
#include "tst_bedrock_responses.moc"
