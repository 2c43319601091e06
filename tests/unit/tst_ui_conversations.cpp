// Console conversations persist in the data directory: saved after each answer, reopened by a new
// window, renamed, deleted, bounded; a damaged file is reported and left alone; no key is saved.
#include "console/ConversationPicker.h"
#include "console/ConversationStore.h"
#include "gateway/GatewayController.h"
#include "SimulatedGateway.h"
#include "pages/ConsolePage.h"
#include "widgets/CaptureView.h"
#include "widgets/MessageView.h"
#include "widgets/TranscriptView.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using ui::Conversation;
using ui::ConversationStore;

namespace {

Conversation sample(const QString &title)
{
    Conversation conversation;
    conversation.title = title;
    conversation.system = u"Be brief."_s;
    conversation.turns.append({u"user"_s, u"Hello"_s, {}, {}, {}, {}, {}});
    conversation.turns.append({u"assistant"_s,
                               u"Hi **there**"_s,
                               u"Greeting back."_s,
                               {{u"call_1"_s, u"lookup"_s, u"{\"q\":1}"_s}},
                               {{u"call_1"_s, u"42"_s}},
                               {},
                               u"Tokens: 1 in · 2 out"_s});
    return conversation;
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestUiConversations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_configDir.isValid());
        m_gateway = test::startSimulatedGateway(m_configDir.path(), false);
        QTRY_COMPARE_WITH_TIMEOUT(m_gateway->state(), gateway::GatewayController::State::Running, 20000);
        m_context.gateway = m_gateway.get();
        m_context.configDir = m_configDir.path();
    }

    void cleanupTestCase() { m_gateway.reset(); }

    void storeKeepsEveryPartOfATurn()
    {
        QTemporaryDir data;
        ConversationStore store(ConversationStore::directoryIn(data.path()));
        const auto saved = store.save(sample(u"First"_s));
        QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error()));
        QVERIFY(!saved->id.isEmpty());
        QVERIFY(QFile::exists(QDir(store.directory()).filePath(saved->id + u".json"_s)));
        const auto loaded = store.load(saved->id);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error()));
        QCOMPARE(loaded->title, u"First"_s);
        QCOMPARE(loaded->system, u"Be brief."_s);
        QCOMPARE(loaded->turns.size(), 2);
        const auto &answer = loaded->turns.at(1);
        QCOMPARE(answer.text, u"Hi **there**"_s);
        QCOMPARE(answer.reasoning, u"Greeting back."_s);
        QCOMPARE(answer.toolCalls.first().name, u"lookup"_s);
        QCOMPARE(answer.toolResults.first().content, u"42"_s);
        QCOMPARE(answer.stats, u"Tokens: 1 in · 2 out"_s);
        QCOMPARE(store.list().size(), 1);
        QCOMPARE(store.list().first().title, u"First"_s);
    }

    // The window is closed and opened again (a new page on the same data directory): the
    // conversation is in the list, and opening it shows the same turns and carries its history.
    void answeredConversationReopensAfterARestart()
    {
        QTemporaryDir data;
        ui::UiContext context = m_context;
        context.dataDir = data.path();
        QString shown;
        QString id;
        {
            ui::ConsolePage console(context);
            QTRY_VERIFY(console.findChild<QComboBox *>(u"route"_s)->count() > 0);
            QSignalSpy finished(&console, &ui::ConsolePage::answerFinished);
            console.findChild<QPlainTextEdit *>(u"system"_s)->setPlainText(u"Answer like a geologist."_s);
            console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"Tell me about granite"_s);
            console.send();
            QVERIFY(finished.wait(20000));
            QVERIFY(finished.first().first().value<client::ChatOutcome>().ok());
            shown = console.findChild<ui::TranscriptView *>(u"transcript"_s)->toPlainText();
            id = console.conversation().id;
            QVERIFY(!id.isEmpty());
            QCOMPARE(console.findChild<QComboBox *>(u"conversations"_s)->currentData().toString(), id);
        }
        const QByteArray file =
            fileBytes(QDir(ConversationStore::directoryIn(data.path())).filePath(id + u".json"_s));
        QVERIFY(file.contains("Tell me about granite"));
        QVERIFY2(!file.contains(m_gateway->sessionKey()), "the client key reached the disk");

        ui::ConsolePage reopened(context);
        auto *list = reopened.findChild<QComboBox *>(u"conversations"_s);
        const int index = list->findData(id);
        QVERIFY(index > 0);
        QVERIFY(list->itemText(index).startsWith(u"Tell me about granite"_s));
        list->setCurrentIndex(index);
        Q_EMIT list->activated(index); // as a click on the entry does
        auto *transcript = reopened.findChild<ui::TranscriptView *>(u"transcript"_s);
        QCOMPARE(transcript->toPlainText(), shown);
        QVERIFY(!transcript->messages().last()->stats().isEmpty());
        QCOMPARE(reopened.findChild<QPlainTextEdit *>(u"system"_s)->toPlainText(),
                 u"Answer like a geologist."_s);
        reopened.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"And basalt?"_s);
        const auto request = reopened.currentRequest();
        QCOMPARE(request.messages.size(), 3);
        QCOMPARE(request.messages.first().content, u"Tell me about granite"_s);
    }

    // The inspector shows the request behind what is on screen: after a send, opening a saved
    // conversation (or New) leaves no capture or stat of the request sent before.
    void openingAConversationClearsTheLastRequest()
    {
        QTemporaryDir data;
        ConversationStore store(ConversationStore::directoryIn(data.path()));
        const QString saved = store.save(sample(u"Saved earlier"_s))->id;
        ui::UiContext context = m_context;
        context.dataDir = data.path();
        ui::ConsolePage console(context);
        QTRY_VERIFY(console.findChild<QComboBox *>(u"route"_s)->count() > 0);
        const auto captures = console.findChildren<ui::CaptureView *>();
        QCOMPARE(captures.size(), 4);
        QSignalSpy finished(&console, &ui::ConsolePage::answerFinished);
        QSignalSpy shown(&console, &ui::ConsolePage::recordShown);
        for (const bool openSaved : {true, false}) {
            finished.clear();
            shown.clear();
            console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"Tell me about slate"_s);
            console.send();
            QVERIFY(finished.wait(20000));
            QTRY_VERIFY(!shown.isEmpty());
            QVERIFY(captures.first()->toPlainText().contains(u"slate"_s));
            QVERIFY(!console.findChild<QLabel *>(u"tokens"_s)->text().isEmpty());

            if (openSaved)
                console.openConversation(saved);
            else
                console.clearConversation(); // New
            for (const ui::CaptureView *capture : captures)
                QVERIFY2(capture->toPlainText().isEmpty(), qPrintable(capture->toPlainText()));
            for (const char *stat : {"tokens", "cost", "stopReason", "timing"})
                QVERIFY(console.findChild<QLabel *>(QString::fromLatin1(stat))->text().isEmpty());
        }
    }

    void renameAndDelete()
    {
        QTemporaryDir data;
        ConversationStore store(ConversationStore::directoryIn(data.path()));
        const QString id = store.save(sample(u"Old title"_s))->id;
        ui::UiContext context;
        context.dataDir = data.path();
        ui::ConsolePage console(context);
        console.openConversation(id);
        QCOMPARE(console.findChild<ui::TranscriptView *>(u"transcript"_s)->messages().size(), 2);
        auto *picker = console.findChild<ui::ConversationPicker *>();
        auto *list = console.findChild<QComboBox *>(u"conversations"_s);
        QCOMPARE(picker->currentId(), id);
        picker->renameCurrentTo(u"Granite notes"_s);
        QCOMPARE(store.load(id)->title, u"Granite notes"_s);
        QVERIFY(list->currentText().startsWith(u"Granite notes"_s));
        QCOMPARE(store.load(id)->turns.size(), 2); // renaming keeps the turns

        picker->removeCurrent();
        QVERIFY(store.list().isEmpty());
        QCOMPARE(list->findData(id), -1);
        // The conversation on screen was the one deleted: the transcript starts afresh.
        QVERIFY(console.findChild<ui::TranscriptView *>(u"transcript"_s)->messages().isEmpty());
        QVERIFY(console.conversation().id.isEmpty());
    }

    void damagedFileIsReportedAndLeftAlone()
    {
        QTemporaryDir data;
        ConversationStore store(ConversationStore::directoryIn(data.path()));
        const QString good = store.save(sample(u"Good one"_s))->id;
        const QString id = u"0badf11e-0000-4000-8000-000000000000"_s;
        const QString path = QDir(store.directory()).filePath(id + u".json"_s);
        const QByteArray damaged =
            "{\"version\":1,\"turns\":[{\"role\":\"user\",\"te"_ba; // cut off mid-write by another tool
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(damaged);
        }
        ui::UiContext context;
        context.dataDir = data.path();
        ui::ConsolePage console(context);
        console.openConversation(good);
        auto *list = console.findChild<QComboBox *>(u"conversations"_s);
        const int index = list->findData(id);
        QVERIFY(index > 0);
        QVERIFY2(list->itemText(index).contains(u"unreadable"_s), qPrintable(list->itemText(index)));
        console.openConversation(id);
        auto *message = console.findChild<QLabel *>(u"conversationMessage"_s);
        QVERIFY(!message->isHidden());
        QVERIFY2(message->text().contains(u"damaged"_s) && message->text().contains(id),
                 qPrintable(message->text()));
        // What was on screen stays, and so does the file.
        QCOMPARE(console.conversation().id, good);
        QCOMPARE(fileBytes(path), damaged);
        Conversation overwrite = sample(u"x"_s);
        overwrite.id = id;
        QVERIFY(!store.save(overwrite).ok());
        QCOMPARE(fileBytes(path), damaged);
    }

    void oldestConversationsArePrunedAtTheBound()
    {
        QTemporaryDir data;
        ConversationStore store(ConversationStore::directoryIn(data.path()));
        const QDateTime base = QDateTime::currentDateTimeUtc().addDays(-1);
        QString oldest;
        for (int i = 0; i < ConversationStore::MaxConversations; ++i) {
            const auto saved = store.save(sample(u"n%1"_s.arg(i)));
            QVERIFY(saved.ok());
            QFile file(QDir(store.directory()).filePath(saved->id + u".json"_s));
            QVERIFY(file.open(QIODevice::ReadWrite));
            QVERIFY(file.setFileTime(base.addSecs(i), QFileDevice::FileModificationTime)); // distinct ages
            if (i == 0)
                oldest = saved->id;
        }
        QCOMPARE(store.list().size(), ConversationStore::MaxConversations);
        QVERIFY(store.save(sample(u"newest"_s)).ok());
        const auto entries = store.list();
        QCOMPARE(entries.size(), ConversationStore::MaxConversations);
        QCOMPARE(entries.first().title, u"newest"_s);
        QVERIFY(!QFile::exists(QDir(store.directory()).filePath(oldest + u".json"_s)));
    }

private:
    QTemporaryDir m_configDir;
    std::unique_ptr<gateway::GatewayController> m_gateway;
    ui::UiContext m_context;
};

QTEST_MAIN(TestUiConversations)
#include "tst_ui_conversations.moc"
