/** The page's entry point: global styles, then the app into #app. */
import { render } from 'preact';
import './styles.css';
import { App } from './components/app/index.tsx';

render(<App />, document.getElementById('app')!);
