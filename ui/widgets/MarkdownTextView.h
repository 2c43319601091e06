// Prose of a message, rendered from Markdown (headings, lists, emphasis, links, tables) and as
// tall as its text at the width it is given: the transcript scrolls, not each paragraph.
#pragma once

#include <QTextBrowser>

namespace quarry::ui {

class MarkdownTextView : public QTextBrowser
{
    Q_OBJECT
public:
    explicit MarkdownTextView(QWidget *parent = nullptr);

    void setMarkdownText(const QString &markdown);
    QString markdownText() const { return m_markdown; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitHeight();

    QString m_markdown;
};

} // namespace quarry::ui
