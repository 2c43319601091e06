// Applies the app's style and palette (see Theme.h).
#include "Theme.h"

#include <QApplication>
#include <QPalette>
#include <QProxyStyle>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleOption>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

Theme::Mode g_mode = Theme::Mode::System;

const QString kSettingsKey = u"window/theme"_s;

// Fills every group: the disabled group dims text, the rest is shared.
void setColour(QPalette &palette, QPalette::ColorRole role, const QColor &colour, const QColor &disabled = {})
{
    palette.setColor(QPalette::All, role, colour);
    if (disabled.isValid())
        palette.setColor(QPalette::Disabled, role, disabled);
}

// Fusion outlines check boxes and radio buttons in the window colour made darker, which on a dark
// palette is all but black on a black field: the boxes vanish. On dark palettes the outline is
// drawn from a light grey instead (Fusion reads the outline off the Window role, nothing else).
class ReadableIndicatorsStyle : public QProxyStyle
{
public:
    using QProxyStyle::QProxyStyle;

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget) const override
    {
        const bool indicator = element == PE_IndicatorCheckBox || element == PE_IndicatorRadioButton;
        if (!indicator || !Theme::isDark(option->palette))
            return QProxyStyle::drawPrimitive(element, option, painter, widget);
        // Copied as the type it is (check boxes and radio buttons carry button options).
        if (const auto *button = qstyleoption_cast<const QStyleOptionButton *>(option)) {
            QStyleOptionButton lighter(*button);
            drawWithLighterOutline(element, lighter, painter, widget);
        } else {
            QStyleOption lighter(*option);
            drawWithLighterOutline(element, lighter, painter, widget);
        }
    }

private:
    void drawWithLighterOutline(PrimitiveElement element, QStyleOption &option, QPainter *painter,
                                const QWidget *widget) const
    {
        option.palette.setColor(QPalette::Window, QColor(0xb4, 0xb4, 0xba)); // outline ≈ #80808a
        QProxyStyle::drawPrimitive(element, &option, painter, widget);
    }
};

} // namespace

void Theme::apply(QApplication &app)
{
    // Fusion keeps the platform theme's palette (dark or light); only the drawing is Fusion's.
    if (QStyle *fusion = QStyleFactory::create(u"Fusion"_s))
        app.setStyle(new ReadableIndicatorsStyle(fusion)); // the application owns the style
}

void Theme::setMode(Mode mode)
{
    g_mode = mode;
    switch (mode) {
    case Mode::System:
        // A palette with nothing set resolves to the platform theme's, and keeps following it.
        QApplication::setPalette(QPalette());
        break;
    case Mode::Light:
        QApplication::setPalette(lightPalette());
        break;
    case Mode::Dark:
        QApplication::setPalette(darkPalette());
        break;
    }
    // Widgets with a style sheet keep the colours they were polished with (the sidebar's
    // palette(window), the status line): polish them again once the new palette has reached them,
    // which happens through the event loop, hence queued behind it.
    QMetaObject::invokeMethod(
        qApp,
        [] {
            for (QWidget *widget : QApplication::allWidgets()) {
                const QString sheet = widget->styleSheet();
                if (sheet.isEmpty())
                    continue;
                widget->setStyleSheet(QString());
                widget->setStyleSheet(sheet);
            }
        },
        Qt::QueuedConnection);
}

Theme::Mode Theme::mode()
{
    return g_mode;
}

Theme::Mode Theme::startupMode()
{
    if (const auto fromEnvironment = fromName(qEnvironmentVariable("QUARRY_THEME")))
        return *fromEnvironment;
    return saved();
}

Theme::Mode Theme::saved()
{
    return fromName(QSettings().value(kSettingsKey).toString()).value_or(Mode::System);
}

void Theme::save(Mode mode)
{
    QSettings().setValue(kSettingsKey, name(mode));
}

QString Theme::name(Mode mode)
{
    switch (mode) {
    case Mode::Light:
        return u"light"_s;
    case Mode::Dark:
        return u"dark"_s;
    case Mode::System:
        break;
    }
    return u"system"_s;
}

std::optional<Theme::Mode> Theme::fromName(const QString &name)
{
    for (Mode mode : {Mode::System, Mode::Light, Mode::Dark}) {
        if (Theme::name(mode) == name.trimmed().toLower())
            return mode;
    }
    return std::nullopt;
}

bool Theme::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < palette.color(QPalette::WindowText).lightness();
}

QPalette Theme::lightPalette()
{
    QPalette palette;
    setColour(palette, QPalette::Window, QColor(0xef, 0xef, 0xef));
    setColour(palette, QPalette::WindowText, QColor(0x1f, 0x1f, 0x1f), QColor(0x90, 0x90, 0x90));
    setColour(palette, QPalette::Base, Qt::white, QColor(0xf4, 0xf4, 0xf4));
    setColour(palette, QPalette::AlternateBase, QColor(0xf6, 0xf6, 0xf6));
    setColour(palette, QPalette::Text, QColor(0x1f, 0x1f, 0x1f), QColor(0x90, 0x90, 0x90));
    setColour(palette, QPalette::PlaceholderText, QColor(0x75, 0x75, 0x75));
    setColour(palette, QPalette::Button, QColor(0xef, 0xef, 0xef));
    setColour(palette, QPalette::ButtonText, QColor(0x1f, 0x1f, 0x1f), QColor(0x90, 0x90, 0x90));
    setColour(palette, QPalette::BrightText, Qt::white);
    setColour(palette, QPalette::Light, Qt::white);
    setColour(palette, QPalette::Midlight, QColor(0xe3, 0xe3, 0xe3));
    setColour(palette, QPalette::Mid, QColor(0xb8, 0xb8, 0xb8));
    setColour(palette, QPalette::Dark, QColor(0x9f, 0x9f, 0x9f));
    setColour(palette, QPalette::Shadow, QColor(0x76, 0x76, 0x76));
    setColour(palette, QPalette::Highlight, QColor(0x30, 0x8c, 0xc6), QColor(0x91, 0x91, 0x91));
    setColour(palette, QPalette::HighlightedText, Qt::white);
    setColour(palette, QPalette::Link, QColor(0x1a, 0x5f, 0xb4));
    setColour(palette, QPalette::LinkVisited, QColor(0x6a, 0x3d, 0x9a));
    setColour(palette, QPalette::ToolTipBase, QColor(0xff, 0xff, 0xdc));
    setColour(palette, QPalette::ToolTipText, Qt::black);
    return palette;
}

QPalette Theme::darkPalette()
{
    QPalette palette;
    setColour(palette, QPalette::Window, QColor(0x2b, 0x2b, 0x2e));
    setColour(palette, QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6), QColor(0x80, 0x80, 0x80));
    setColour(palette, QPalette::Base, QColor(0x1e, 0x1e, 0x21), QColor(0x2b, 0x2b, 0x2e));
    setColour(palette, QPalette::AlternateBase, QColor(0x26, 0x26, 0x2a));
    setColour(palette, QPalette::Text, QColor(0xe6, 0xe6, 0xe6), QColor(0x80, 0x80, 0x80));
    setColour(palette, QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    setColour(palette, QPalette::Button, QColor(0x3a, 0x3a, 0x3e));
    setColour(palette, QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6), QColor(0x80, 0x80, 0x80));
    setColour(palette, QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    setColour(palette, QPalette::Light, QColor(0x4a, 0x4a, 0x4f));
    setColour(palette, QPalette::Midlight, QColor(0x40, 0x40, 0x45));
    setColour(palette, QPalette::Mid, QColor(0x30, 0x30, 0x34));
    setColour(palette, QPalette::Dark, QColor(0x1a, 0x1a, 0x1c));
    setColour(palette, QPalette::Shadow, QColor(0x0a, 0x0a, 0x0a));
    setColour(palette, QPalette::Highlight, QColor(0x2f, 0x7b, 0xd0), QColor(0x50, 0x50, 0x55));
    setColour(palette, QPalette::HighlightedText, Qt::white);
    setColour(palette, QPalette::Link, QColor(0x7a, 0xb7, 0xff));
    setColour(palette, QPalette::LinkVisited, QColor(0xc0, 0x9c, 0xf0));
    setColour(palette, QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3e));
    setColour(palette, QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    return palette;
}

} // namespace quarry::ui
