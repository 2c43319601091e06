// Code stays unwrapped (indentation matters) and scrolls sideways inside its own frame, so a long
// line never widens the transcript.
#include "widgets/CodeBlockView.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTextCursor>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

CodeBlockView::CodeBlockView(QWidget *parent) : QFrame(parent)
{
    setObjectName(u"codeBlock"_s);
    setFrameShape(QFrame::StyledPanel);
    m_language = new QLabel(this);
    m_language->setObjectName(u"codeLanguage"_s);
    m_copy = new QPushButton(tr("Copy"), this);
    m_copy->setObjectName(u"copyCode"_s);
    m_copy->setAccessibleName(tr("Copy code"));
    m_copy->setFlat(true);
    m_view = new QPlainTextEdit(this);
    m_view->setObjectName(u"code"_s);
    m_view->setReadOnly(true);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_view->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed); // never asks for its lines' width
    connect(m_copy, &QPushButton::clicked, this, &CodeBlockView::copy);

    auto *header = new QHBoxLayout;
    header->addWidget(m_language, 1);
    header->addWidget(m_copy);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 6);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addWidget(m_view);
}

void CodeBlockView::setCode(const QString &code, const QString &language)
{
    m_language->setText(language.isEmpty() ? tr("code") : language);
    if (code == m_code)
        return;
    // A streaming block only grows: append the new tail instead of re-setting the whole text.
    if (!m_code.isEmpty() && code.startsWith(m_code)) {
        QTextCursor end(m_view->document());
        end.movePosition(QTextCursor::End);
        end.insertText(code.mid(m_code.size()));
    } else {
        m_view->setPlainText(code);
    }
    m_code = code;
    fitHeight();
}

void CodeBlockView::copy()
{
    QApplication::clipboard()->setText(m_code);
    m_copy->setText(tr("Copied"));
    QTimer::singleShot(1500, m_copy, [button = m_copy] { button->setText(tr("Copy")); });
}

void CodeBlockView::fitHeight()
{
    const int lines = qBound(1, int(m_code.count(u'\n')) + 1, MaxVisibleLines);
    const int scrollBar = m_view->horizontalScrollBar()->sizeHint().height(); // room for a long line's bar
    m_view->setFixedHeight(lines * m_view->fontMetrics().lineSpacing() +
                           2 * int(m_view->document()->documentMargin()) + scrollBar + 2);
}

} // namespace quarry::ui
