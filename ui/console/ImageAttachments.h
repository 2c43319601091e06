// The images the Console's next prompt carries: "Attach image…", what is attached, and a way to
// take it off again. Bedrock reads png, jpeg, gif and webp; the bytes are checked, not the name.
#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QPushButton;
class QToolButton;

namespace quarry::ui {

class ImageAttachments : public QWidget
{
    Q_OBJECT
public:
    // Converse's limits (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ImageBlock.html
    // and the Converse guide): 3.75 MB per image, 20 images per request.
    static constexpr qint64 MaxImageBytes = 3'750'000;
    static constexpr int MaxImages = 20;

    explicit ImageAttachments(QWidget *parent = nullptr);

    // Adds the file as a data: URL; an unreadable file, another format or an oversized image is
    // refused with the reason shown (and returned).
    bool addFile(const QString &path);
    QStringList dataUrls() const { return m_dataUrls; }
    QString problem() const;
    void clear();

public Q_SLOTS:
    void chooseFiles(); // the file dialog behind "Attach image…"

Q_SIGNALS:
    void changed();

private:
    void refuse(const QString &problem);
    void showAttached();

    QPushButton *m_attach = nullptr;
    QLabel *m_summary = nullptr;
    QToolButton *m_remove = nullptr;
    QStringList m_dataUrls;
    QStringList m_names;
    QString m_problem;
};

// "image/png" and the like for image bytes Bedrock reads, read off their first bytes; empty for
// anything else.
QString imageMediaType(const QByteArray &bytes);

} // namespace quarry::ui
