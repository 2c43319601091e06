// The Console's transcript as a reader sees it: Markdown rendered, code blocks monospace with a
// Copy button, reasoning collapsed, tool calls as cards, images inline, stats that wrap.
#include "console/Conversation.h"
#include "console/SampleConversation.h"
#include "pages/ConsolePage.h"
#include "widgets/CodeBlockView.h"
#include "widgets/MarkdownBlocks.h"
#include "widgets/MarkdownTextView.h"
#include "widgets/MessageView.h"
#include "widgets/TranscriptView.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QDir>
#include <QFontInfo>
#include <QImage>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QFontMetrics>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextTable>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace quarry;
using ui::MarkdownBlock;
using ui::MessageView;

namespace {

const QString kAnswer = u"# Quarry notes\n"
                        u"\n"
                        u"Some *emphasis*, **strong** text and a [link](https://example.com/docs).\n"
                        u"\n"
                        u"- first\n"
                        u"- second\n"
                        u"\n"
                        u"| Model | Price |\n"
                        u"|-------|-------|\n"
                        u"| sonnet | 3 |\n"
                        u"\n"
                        u"```python\n"
                        u"def hello():\n"
                        u"    print(\"hi\")  # exact\n"
                        u"```\n"
                        u"\n"
                        u"After the code."_s;

QString pngDataUrl(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return u"data:image/png;base64,"_s + QString::fromLatin1(bytes.toBase64());
}

QList<ui::MarkdownTextView *> proseViews(QWidget *message)
{
    QList<ui::MarkdownTextView *> views;
    for (auto *view : message->findChildren<ui::MarkdownTextView *>()) {
        if (view->objectName() != u"reasoning"_s)
            views.append(view);
    }
    return views;
}

} // namespace

class TestUiTranscript : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitsFencedCodeFromProse()
    {
        const auto blocks = ui::splitMarkdown(kAnswer);
        QCOMPARE(blocks.size(), 3);
        QCOMPARE(blocks[0].kind, MarkdownBlock::Kind::Prose);
        QCOMPARE(blocks[1].kind, MarkdownBlock::Kind::Code);
        QCOMPARE(blocks[1].language, u"python"_s);
        QCOMPARE(blocks[1].text, u"def hello():\n    print(\"hi\")  # exact"_s);
        QVERIFY(blocks[1].closed);
        QCOMPARE(blocks[2].text.trimmed(), u"After the code."_s);

        // Tildes, a longer closing fence, a shorter fence inside, and a block still streaming.
        const auto tildes = ui::splitMarkdown(u"~~~~\n~~~\nx\n~~~~~\nmore\n```js\nlet a"_s);
        QCOMPARE(tildes.size(), 3);
        QCOMPARE(tildes[0].text, u"~~~\nx"_s);
        QCOMPARE(tildes[2].kind, MarkdownBlock::Kind::Code);
        QCOMPARE(tildes[2].text, u"let a"_s);
        QVERIFY(!tildes[2].closed);
        // Inline backticks and a two-backtick run are prose.
        QCOMPARE(ui::splitMarkdown(u"use `ls` and ``x``"_s).size(), 1);
    }

    void markdownBecomesHeadingsListsTablesAndLinks()
    {
        MessageView message(MessageView::Role::Assistant);
        message.resize(600, 400);
        message.setText(kAnswer);
        const auto prose = proseViews(&message);
        QCOMPARE(prose.size(), 2);
        QTextDocument *document = prose.first()->document();
        QCOMPARE(document->firstBlock().blockFormat().headingLevel(), 1);
        QCOMPARE(document->firstBlock().text(), u"Quarry notes"_s);
        QVERIFY(!document->toPlainText().contains(u'*')); // emphasis rendered, not shown as stars
        bool italic = false, bold = false, link = false, list = false;
        for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
            list = list || block.textList() != nullptr;
            for (auto it = block.begin(); !it.atEnd(); ++it) {
                const QTextCharFormat format = it.fragment().charFormat();
                italic = italic || (format.fontItalic() && it.fragment().text() == u"emphasis"_s);
                bold = bold || format.fontWeight() >= QFont::Bold;
                link = link || format.anchorHref() == u"https://example.com/docs"_s;
            }
        }
        QVERIFY(italic);
        QVERIFY(bold);
        QVERIFY(link);
        QVERIFY(list);
        bool table = false;
        for (QTextFrame *frame : document->rootFrame()->childFrames())
            table = table || qobject_cast<QTextTable *>(frame) != nullptr;
        QVERIFY(table);
        QVERIFY(prose.first()->openExternalLinks());
    }

    void codeBlockIsMonospaceAndCopiesExactlyTheCode()
    {
        MessageView message(MessageView::Role::Assistant);
        message.setText(kAnswer);
        const auto blocks = message.findChildren<ui::CodeBlockView *>();
        QCOMPARE(blocks.size(), 1);
        auto *code = blocks.first()->findChild<QPlainTextEdit *>(u"code"_s);
        // Every character as wide as any other. (Not QFontInfo::fixedPitch(): fontconfig does not mark
        // every monospace font fixed-pitch; Noto Sans Mono, "monospace" where it is installed, is not.)
        const QFontMetrics metrics(code->font());
        QCOMPARE(metrics.horizontalAdvance(u'i'), metrics.horizontalAdvance(u'W'));
        QCOMPARE(code->toPlainText(), u"def hello():\n    print(\"hi\")  # exact"_s);
        QApplication::clipboard()->setText(u"something else"_s);
        QTest::mouseClick(blocks.first()->findChild<QPushButton *>(u"copyCode"_s), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), u"def hello():\n    print(\"hi\")  # exact"_s);
        // Nothing of the prose around it is code.
        QVERIFY(!proseViews(&message).first()->toPlainText().contains(u"def hello"_s));
    }

    void streamingRendersOnlyTheBlockBeingWritten()
    {
        ui::TranscriptView transcript;
        transcript.resize(600, 400);
        transcript.addMessage(MessageView::Role::User, u"Question *one*"_s);
        auto *first = proseViews(transcript.messages().first()).first();
        MessageView *answer = transcript.addMessage(MessageView::Role::Assistant);
        const QString text = u"Intro line.\n\n```sh\necho hi\n```\n\nThen words"_s;
        for (const QChar c : text.first(text.indexOf(u"Then"_s)))
            transcript.appendStreamed(QString(c));
        QVERIFY(answer->findChildren<ui::CodeBlockView *>().isEmpty()); // waits for the tick
        transcript.flush();
        const auto codeBlocks = answer->findChildren<ui::CodeBlockView *>();
        QCOMPARE(codeBlocks.size(), 1);
        QPointer<ui::CodeBlockView> code = codeBlocks.first();
        QPointer<ui::MarkdownTextView> intro = proseViews(answer).first();
        for (const QChar c : text.mid(text.indexOf(u"Then"_s)))
            transcript.appendStreamed(QString(c));
        // Rendered within a tick, without a flush.
        QTRY_COMPARE_WITH_TIMEOUT(proseViews(answer).size(), 2, 2000);
        QCOMPARE(proseViews(answer).last()->toPlainText(), u"Then words"_s);
        // The finished blocks and the earlier message kept their widgets: not rendered again.
        QVERIFY(code && intro);
        QCOMPARE(proseViews(transcript.messages().first()).first(), first);
        QCOMPARE(answer->text(), text);
        QCOMPARE(transcript.toPlainText(), u"You: Question *one*\nAssistant: "_s + text);
    }

    void reasoningIsCollapsedUntilOpened()
    {
        MessageView message(MessageView::Role::Assistant);
        message.show();
        message.appendReasoning(u"First I weigh "_s);
        message.appendReasoning(u"the options."_s);
        message.setText(u"The answer."_s);
        auto *toggle = message.findChild<QToolButton *>(u"reasoningToggle"_s);
        auto *reasoning = message.findChild<ui::MarkdownTextView *>(u"reasoning"_s);
        QVERIFY(toggle->isVisible());
        QCOMPARE(toggle->text(), u"Reasoning"_s);
        QVERIFY(!reasoning->isVisible());
        QCOMPARE(reasoning->toPlainText(), u"First I weigh the options."_s);
        QTest::mouseClick(toggle, Qt::LeftButton);
        QVERIFY(reasoning->isVisible());
        QTest::mouseClick(toggle, Qt::LeftButton);
        QVERIFY(!reasoning->isVisible());

        MessageView plain(MessageView::Role::Assistant);
        plain.show();
        plain.setText(u"No reasoning here."_s);
        QVERIFY(!plain.findChild<QToolButton *>(u"reasoningToggle"_s)->isVisible());
    }

    void toolCallsAndResultsAreCardsWithPrettyArguments()
    {
        MessageView message(MessageView::Role::Assistant);
        message.addToolCall({u"call_7"_s, u"get_weather"_s, u"{\"city\":\"Oslo\",\"days\":3}"_s});
        message.addToolResult(u"call_7"_s, u"{\"temp\":-2}"_s);
        auto *call = message.findChild<QWidget *>(u"toolCall"_s);
        QVERIFY(call);
        QVERIFY(call->findChild<QLabel *>(u"toolTitle"_s)->text().contains(u"get_weather"_s));
        const QString arguments = call->findChild<QPlainTextEdit *>(u"code"_s)->toPlainText();
        QVERIFY2(arguments.contains(u"\n    \"city\": \"Oslo\""_s),
                 qPrintable(arguments)); // indented, one per line
        auto *result = message.findChild<QWidget *>(u"toolResult"_s);
        QVERIFY(result);
        QVERIFY(result->findChild<QPlainTextEdit *>(u"code"_s)->toPlainText().contains(u"\"temp\": -2"_s));
    }

    void imagesFromThePromptShowInline()
    {
        const QString url = pngDataUrl(40, 20);
        QCOMPARE(ui::imageDataUrls(u"what is this? "_s + url + u" thanks"_s), QStringList{url});
        MessageView message(MessageView::Role::User);
        message.setText(u"what is this? "_s + url);
        QVERIFY(message.addImage(url));
        QVERIFY(!message.addImage(u"data:text/plain;base64,aGk="_s));
        auto *image = message.findChild<QLabel *>(u"image"_s);
        QVERIFY(image);
        QCOMPARE(image->pixmap().size(), QSize(40, 20));
        QVERIFY(!proseViews(&message).first()->toPlainText().contains(u"base64"_s)); // not as text
    }

    // Stats, long code lines and long URLs wrap or scroll inside their block: the Console at
    // 800 px has no horizontal scroll bar and nothing asks for more width than the page has.
    void longStatsAndLinesFitAnEightHundredPixelConsole()
    {
        ui::UiContext context;
        ui::ConsolePage page(context);
        ui::Conversation conversation;
        conversation.title = u"wide"_s;
        conversation.turns.append({u"user"_s, u"x"_s, {}, {}, {}, {}, {}});
        conversation.turns.append(
            {u"assistant"_s,
             u"See https://example.com/"_s + u"a-very-long-path-segment/"_s.repeated(20) + u"\n\n```\n"_s +
                 u"long_line_of_code(); "_s.repeated(30) + u"\n```"_s,
             {},
             {},
             {},
             {},
             u"Tokens: 123456 in · 654321 out · 777777 total  ·  Cost: $12.345678  ·  "
             u"Stop: length (Bedrock: max_tokens)  ·  Latency 123456 ms · TTFT 12345 ms · "
             u"12345.6 tokens/s"_s});
        page.showConversation(conversation);
        page.resize(800, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTest::qWait(50);
        QVERIFY2(page.minimumSizeHint().width() <= 800,
                 qPrintable(QString::number(page.minimumSizeHint().width())));
        QCOMPARE(page.width(), 800);
        auto *transcript = page.findChild<ui::TranscriptView *>(u"transcript"_s);
        QVERIFY(!transcript->horizontalScrollBar()->isVisible());
        QVERIFY(transcript->widget()->width() <= transcript->viewport()->width());
        auto *stats = transcript->messages().last()->findChild<QLabel *>(u"answerStats"_s);
        QVERIFY(stats->isVisible());
        QVERIFY(stats->wordWrap());
        QVERIFY2(stats->sizeHint().width() <= page.width(),
                 qPrintable(QString::number(stats->sizeHint().width())));
        QVERIFY2(stats->width() <= transcript->viewport()->width(),
                 qPrintable(QString::number(stats->width())));
        QVERIFY(stats->height() >= stats->heightForWidth(stats->width())); // every line of it shows
    }

    // The screenshot tour's conversation shows every part: Markdown, a code block, reasoning
    // (collapsed), a tool call and its result, the stats line. QUARRY_SCREENSHOT_DIR saves a picture.
    void sampleConversationShowsEveryPart()
    {
        ui::UiContext context;
        ui::ConsolePage page(context);
        page.showConversation(ui::sampleConversation());
        page.resize(1100, 1000);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        MessageView *answer = page.findChild<ui::TranscriptView *>(u"transcript"_s)->messages().last();
        QCOMPARE(answer->findChildren<ui::CodeBlockView *>().size(),
                 3); // python, the call's and the result's JSON
        QVERIFY(answer->findChild<QWidget *>(u"toolCall"_s));
        QVERIFY(answer->findChild<QWidget *>(u"toolResult"_s));
        QVERIFY(answer->findChild<QToolButton *>(u"reasoningToggle"_s)->isVisible());
        QVERIFY(!answer->findChild<ui::MarkdownTextView *>(u"reasoning"_s)->isVisible());
        QVERIFY(answer->findChild<QLabel *>(u"answerStats"_s)->isVisible());
        const QString shots = qEnvironmentVariable("QUARRY_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            answer->findChild<QToolButton *>(u"reasoningToggle"_s)->setChecked(true);
            page.findChild<ui::TranscriptView *>(u"transcript"_s)->scrollToTop();
            QTest::qWait(100);
            page.grab().save(QDir(shots).filePath(u"transcript-sample.png"_s));
        }
    }
};

QTEST_MAIN(TestUiTranscript)
#include "tst_ui_transcript.moc"
